import type { KafkaConnectionOptions } from '../connection/kafka-connection.options.js';

/** Options of KafkaDeadLetterStore; use the server's prefix. */
export interface KafkaDeadLetterStoreOptions extends KafkaConnectionOptions {
  /** The consumer group whose dead letters to manage. Required. */
  consumerGroup: string;
  /** Longest time one read of the dead-letter topics may take, in ms. @default 30000 */
  readTimeoutMs?: number;
}
