import type { KafkaConnectionOptions } from './connection/kafka-connection.options.js';
import type { ProduceBatchingOptions } from './producer/produce-batching.options.js';

/** Options of KafkaClient. */
export interface KafkaClientOptions
  extends KafkaConnectionOptions, ProduceBatchingOptions {
  /** Body size limit per message, in bytes. @default 262144 (256 KiB) */
  maxMessageBytes?: number;
  /**
   * Longest wait for the broker's acknowledgement, in ms, counted from the
   * moment the messages are queued for a produce request. A publish that
   * times out before its request left is not written; one that times out
   * in flight rejects, yet may still land later: publish again, and let the
   * consumers' inbox drop the duplicate by its id.
   * @default 30000
   */
  publishTimeoutMs?: number;
}
