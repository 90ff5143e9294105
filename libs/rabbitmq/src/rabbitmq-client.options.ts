import type { RabbitMqConnectionOptions } from './rabbitmq-connection.options.js';

/** Options of the RabbitMQ client proxy. */
export interface RabbitMqClientOptions extends RabbitMqConnectionOptions {
  /**
   * Largest message body in bytes; a bigger publish fails with
   * MessageTooLargeError before anything is sent.
   * @default DEFAULT_MAX_MESSAGE_BYTES (256 KiB)
   */
  maxMessageBytes?: number;
  /**
   * Longest wait, in ms, for the broker to confirm a publish, counted from
   * the call (so it includes waiting for a reconnect); then it rejects.
   * @default 10000
   */
  publishTimeoutMs?: number;
  /**
   * Publish events as mandatory, so one that no queue is bound for is
   * returned and its publish rejects instead of vanishing.
   * @default true
   */
  mandatory?: boolean;
  /** Longest wait for the reply to a `send()`, in ms. @default 5000 */
  requestTimeoutMs?: number;
}
