import type { ConnectionOptions } from 'node:tls';
import type {
  ISocketFactory,
  logLevel,
  RetryOptions,
  SASLOptions,
} from 'kafkajs';

/** How to reach the cluster and name things on it; shared by all parts. */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers, `host:port`. Required. */
  brokers: string[];
  /** @default 'mq-kafka' */
  clientId?: string;
  /** TLS options, or true for TLS with Node's defaults. */
  ssl?: ConnectionOptions | boolean;
  sasl?: SASLOptions;
  /**
   * Creates the TCP (or TLS) sockets kafkajs talks through; kafkajs's own
   * factory when unset. Use it to add TLS settings per socket or to observe
   * connections (the test kit cuts them through it).
   */
  socketFactory?: ISocketFactory;
  /**
   * Put before every topic and group id: one cluster, many environments.
   * Kafka names allow only `[a-zA-Z0-9._-]`.
   * @default ''
   */
  prefix?: string;
  /** Partitions of every topic this transport creates. @default 3 */
  partitions?: number;
  /** Replication factor of created topics. @default -1 (broker default) */
  replicationFactor?: number;
  /** Time to open a connection, in ms. @default 3000 */
  connectionTimeout?: number;
  /** Time for one request, in ms. @default 30000 */
  requestTimeout?: number;
  /**
   * kafkajs's backoff for broker requests and reconnects. Not the message
   * retry schedule, which is `retry`.
   * @default kafkajs's defaults (5 retries, 300 ms initial, 30 s cap)
   */
  clientRetry?: RetryOptions;
  /**
   * The quietest kafkajs log level that reaches Nest's Logger.
   * @default logLevel.WARN
   */
  logLevel?: logLevel;
}
