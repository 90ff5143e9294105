#!/usr/bin/env bash
# Runs a local single-node Apache Kafka broker (KRaft, broker+controller in one
# process) without Docker. Kafka's jars come from Maven Central through Maven,
# as listed in scripts/kafka/pom.xml, and are cached outside the repo.
#
#   scripts/kafka.sh start    start the broker (idempotent), wait until it answers
#   scripts/kafka.sh stop     stop the broker this script started
#   scripts/kafka.sh status   print running/stopped; exit 0 if running, 1 if not
#
# Environment (all optional):
#   KAFKA_PORT             client listener port                (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener port      (default 9093)
#   KAFKA_DATA_DIR         config, storage, pid file and log   (default <repo>/.data/kafka)
#   KAFKA_FRESH=1          on start: stop our broker if running, wipe its storage, format anew
#   KAFKA_START_TIMEOUT    seconds to wait for readiness       (default 90)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM       (default 30)
#   XDG_CACHE_HOME         jar cache root                      (default ~/.cache)
#   JAVA_HOME              Java to use (else `java` on PATH); Java 17 is what is tested
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
POM="$SCRIPT_DIR/kafka/pom.xml"

HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$REPO_ROOT/.data/kafka}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

PID_FILE="$KAFKA_DATA_DIR/kafka.pid"
LOG_FILE="$KAFKA_DATA_DIR/kafka.log"
SERVER_PROPS="$KAFKA_DATA_DIR/server.properties"
LOG4J_PROPS="$KAFKA_DATA_DIR/log4j.properties"
STORAGE_DIR="$KAFKA_DATA_DIR/storage"

log() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat >&2 <<EOF
usage: $(basename "$0") start|stop|status
  env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_DATA_DIR (<repo>/.data/kafka),
       KAFKA_FRESH=1 (wipe storage on start), KAFKA_START_TIMEOUT (90), KAFKA_STOP_TIMEOUT (30)
EOF
  exit 2
}

[ -f "$POM" ] || die "missing $POM"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)"
[ -n "$KAFKA_VERSION" ] || die "could not read <kafka.version> from $POM"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/nest-reliable-messaging/kafka-$KAFKA_VERSION"
LIBS_DIR="$CACHE_DIR/libs"
LIBS_MARKER="$LIBS_DIR/.complete"

# ---------------------------------------------------------------- helpers

find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA="$(command -v java)"
  else
    die "java not found: install a JDK (17 is tested) or set JAVA_HOME"
  fi
}

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

# Copies the runtime jars into the cache once; later runs reuse them. The
# marker holds the pom's hash, so editing the pom refreshes the cache.
ensure_libs() {
  local want
  want="$(pom_hash)"
  if [ -f "$LIBS_MARKER" ] && [ "$(cat "$LIBS_MARKER")" = "$want" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found: Maven is needed once to fetch Kafka's jars (apt-get install maven)"
  log "fetching Kafka $KAFKA_VERSION jars with Maven into $LIBS_DIR (first run only)"
  mkdir -p "$CACHE_DIR"
  local tmp="$CACHE_DIR/libs.tmp.$$"
  rm -rf "$tmp"
  # Debian's Maven 3.8.7 prints ANSI resets even with -q -B; strip them.
  # (pipefail makes the pipeline fail when mvn does.)
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -Dmdep.prependGroupId=true -DoutputDirectory="$tmp" 2>&1 \
      | sed -u 's/\x1b\[[0-9;]*m//g'; then
    rm -rf "$tmp"
    die "Maven could not fetch Kafka's jars (see the output above)"
  fi
  ls "$tmp"/*kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "Maven ran but kafka_2.13-$KAFKA_VERSION.jar is missing from $tmp"; }
  printf '%s\n' "$want" > "$tmp/.complete"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  log "cached $(ls "$LIBS_DIR"/*.jar | wc -l) jars"
}

# True when pid is a live (non-zombie) process running our broker config.
is_our_broker() {
  local pid="$1"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  local state
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2>/dev/null || true)"
  [ "$state" != "Z" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "kafka.Kafka $SERVER_PROPS"
}

# Prints the recorded pid if it is our live broker; drops a stale pid file.
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(tr -dc '0-9' < "$PID_FILE")"
  if is_our_broker "$pid"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$PID_FILE"
  return 1
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Readiness: a kafkajs admin client can list topics (DESIGN). Falls back to
# Kafka's own TopicCommand when kafkajs is not installed (before npm ci).
broker_answers() {
  if [ -d "$REPO_ROOT/node_modules/kafkajs" ] && command -v node >/dev/null 2>&1; then
    (cd "$REPO_ROOT" && KAFKA_READY_BROKER="$HOST:$KAFKA_PORT" timeout 15 node --input-type=module -e "
      import { Kafka, logLevel } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'kafka-sh-ready', brokers: [process.env.KAFKA_READY_BROKER],
        logLevel: logLevel.NOTHING, connectionTimeout: 1000, requestTimeout: 3000, retry: { retries: 0 } });
      const admin = kafka.admin();
      try { await admin.connect(); await admin.listTopics(); await admin.disconnect(); process.exit(0); }
      catch { process.exit(1); }
    ") >/dev/null 2>&1
  else
    timeout 30 "$JAVA" -cp "$LIBS_DIR/*" -Dlog4j.configuration="file:$LOG4J_PROPS" \
      org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$KAFKA_PORT" --list >/dev/null 2>&1
  fi
}

write_config() {
  mkdir -p "$KAFKA_DATA_DIR" "$STORAGE_DIR"
  cat > "$SERVER_PROPS" <<EOF
# Generated by scripts/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$STORAGE_DIR
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
default.replication.factor=1
group.initial.rebalance.delay.ms=0
EOF
  cat > "$LOG4J_PROPS" <<'EOF'
# Generated by scripts/kafka.sh: console only (the script sends it to kafka.log).
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
EOF
}

random_cluster_id() {
  # 16 random bytes, base64url without padding: 22 characters.
  head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

format_storage_if_needed() {
  if [ -f "$STORAGE_DIR/meta.properties" ]; then
    return 0
  fi
  local id
  id="$(random_cluster_id)"
  log "formatting storage in $STORAGE_DIR (cluster id $id)"
  if ! "$JAVA" -cp "$LIBS_DIR/*" -Dlog4j.configuration="file:$LOG4J_PROPS" \
      kafka.tools.StorageTool format -t "$id" -c "$SERVER_PROPS" >> "$LOG_FILE" 2>&1; then
    tail -n 40 "$LOG_FILE" >&2 || true
    die "formatting storage failed"
  fi
}

wait_ready() {
  local pid="$1" started="$2" now
  while :; do
    if ! is_our_broker "$pid"; then
      printf -- '--- last 40 lines of %s ---\n' "$LOG_FILE" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      die "broker process $pid exited during startup"
    fi
    if broker_answers; then
      return 0
    fi
    now="$(date +%s)"
    if [ $((now - started)) -ge "$KAFKA_START_TIMEOUT" ]; then
      printf -- '--- last 40 lines of %s ---\n' "$LOG_FILE" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      die "broker (pid $pid) did not answer on $HOST:$KAFKA_PORT within ${KAFKA_START_TIMEOUT}s; it is left running (see $LOG_FILE); stop it with: KAFKA_DATA_DIR=$KAFKA_DATA_DIR $0 stop"
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------- commands

cmd_start() {
  local t0 pid
  t0="$(date +%s)"
  find_java

  if [ "${KAFKA_FRESH:-0}" = "1" ]; then
    if running_pid >/dev/null; then
      log "KAFKA_FRESH=1: stopping the running broker first"
      cmd_stop
    fi
    log "KAFKA_FRESH=1: wiping $STORAGE_DIR"
    rm -rf "$STORAGE_DIR" "$LOG_FILE"
  fi

  if pid="$(running_pid)"; then
    if broker_answers; then
      log "already running (pid $pid)"
      echo "kafka ready on $HOST:$KAFKA_PORT"
      return 0
    fi
    log "broker (pid $pid) is running but not answering yet; waiting up to ${KAFKA_START_TIMEOUT}s"
    ensure_libs
    wait_ready "$pid" "$(date +%s)"
    echo "kafka ready on $HOST:$KAFKA_PORT"
    return 0
  fi

  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$port"; then
      die "port $HOST:$port is already in use by another process (not a broker started by this script with KAFKA_DATA_DIR=$KAFKA_DATA_DIR)"
    fi
  done

  ensure_libs
  write_config
  format_storage_if_needed

  printf '\n==== %s starting Kafka %s ====\n' "$(date -Is)" "$KAFKA_VERSION" >> "$LOG_FILE"
  # The inner shell records its own pid and then execs java, so the pid file
  # holds the broker's pid. setsid detaches it from this shell's process group.
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" -Xmx512m -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$LOG4J_PROPS" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$SERVER_PROPS" \
    >> "$LOG_FILE" 2>&1 < /dev/null &

  # Wait for the pid file to appear and name the java process.
  local i
  for i in $(seq 1 50); do
    if [ -s "$PID_FILE" ] && is_our_broker "$(tr -dc '0-9' < "$PID_FILE")"; then
      break
    fi
    sleep 0.1
  done
  pid="$(tr -dc '0-9' < "$PID_FILE" 2>/dev/null || true)"
  [ -n "$pid" ] || die "broker did not start; see $LOG_FILE"
  log "started broker (pid $pid), waiting up to ${KAFKA_START_TIMEOUT}s for it to answer"

  # The timeout counts from the launch, not from the (first-run) download.
  wait_ready "$pid" "$(date +%s)"
  log "up in $(( $(date +%s) - t0 ))s; data in $KAFKA_DATA_DIR"
  echo "kafka ready on $HOST:$KAFKA_PORT"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while is_our_broker "$pid"; do
    if [ "$waited" -ge $((KAFKA_STOP_TIMEOUT * 10)) ]; then
      log "still running after ${KAFKA_STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do is_our_broker "$pid" || break; sleep 0.1; done
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    find_java
    if broker_answers; then
      echo "kafka running (pid $pid) on $HOST:$KAFKA_PORT, answering"
    else
      echo "kafka running (pid $pid) on $HOST:$KAFKA_PORT, not answering yet"
    fi
    return 0
  fi
  echo "kafka stopped"
  return 1
}

[ $# -eq 1 ] || usage
case "$1" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
