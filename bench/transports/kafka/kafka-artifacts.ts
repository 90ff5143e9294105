import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../runner/paths.js';

/** Where scripts/kafka.sh keeps Kafka's jars and its log4j config. */
export interface KafkaArtifacts {
  readonly version: string;
  readonly libsDir: string;
  readonly log4jConfig?: string;
}

/**
 * Kafka's version from scripts/kafka/pom.xml and the jar cache that
 * scripts/kafka.sh fills from Maven Central (its README describes it);
 * undefined when the pom is not there.
 */
export function kafkaArtifacts(): KafkaArtifacts | undefined {
  const pom = join(REPOSITORY_ROOT, 'scripts', 'kafka', 'pom.xml');
  if (!existsSync(pom)) {
    return undefined;
  }
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
    readFileSync(pom, 'utf8'),
  )?.[1];
  if (!version) {
    return undefined;
  }
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dataDir =
    process.env.KAFKA_DATA_DIR || join(REPOSITORY_ROOT, '.data', 'kafka');
  const log4j = join(dataDir, 'log4j.properties');
  return {
    version,
    libsDir: join(cache, 'nest-reliable-messaging', `kafka-${version}`, 'libs'),
    log4jConfig: existsSync(log4j) ? log4j : undefined,
  };
}
