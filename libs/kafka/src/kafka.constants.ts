/** Headers this transport adds beside the common `mq-*` ones. */
export const KafkaHeaderNames = {
  /** ISO-8601 time before which a retry record must not be handled. */
  dueAt: 'mq-due-at',
} as const;

/** Defaults shared by the server, the client and the dead-letter store. */
export const KAFKA_DEFAULTS = {
  clientId: 'mq-kafka',
  prefix: '',
  partitions: 3,
  /** -1: the broker's `default.replication.factor`. */
  replicationFactor: -1,
  connectionTimeout: 3_000,
  requestTimeout: 30_000,
  sessionTimeout: 30_000,
  rebalanceTimeout: 60_000,
  heartbeatInterval: 3_000,
  maxWaitTimeInMs: 1_000,
  publishTimeoutMs: 30_000,
  lingerMs: 0,
  maxBatchMessages: 500,
  maxBatchBytes: 512 * 1024,
  readTimeoutMs: 30_000,
  restartInitialDelayMs: 1_000,
  restartMaxDelayMs: 30_000,
} as const;

/** Kafka's own limits on topic names. */
export const TOPIC_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;
export const TOPIC_NAME_MAX_LENGTH = 249;
