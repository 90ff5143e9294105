import type { KafkaConnectionOptions } from './connection/kafka-connection.options.js';

/** Options of KafkaClient. */
export interface KafkaClientOptions extends KafkaConnectionOptions {
  /** Body size limit per message, in bytes. @default 262144 (256 KiB) */
  maxMessageBytes?: number;
  /**
   * Longest wait for the broker's acknowledgement, in ms. A publish that
   * times out rejects, yet may still land later: publish again, and let the
   * consumers' inbox drop the duplicate by its id.
   * @default 30000
   */
  publishTimeoutMs?: number;
}
