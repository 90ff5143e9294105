import type { RetryPolicyOptions } from '../retry/retry-policy.js';

/** Options every server strategy of this project accepts. */
export interface ReliableServerOptions {
  /**
   * Consumer group: services sharing it compete for messages; each group
   * receives every message once. Required.
   */
  consumerGroup: string;
  /** Retry schedule; see RetryPolicyOptions for its defaults. */
  retry?: RetryPolicyOptions;
  /** Handlers running at once per server. @default 16 */
  concurrency?: number;
  /** Time limit for one handler run in ms; 0 for none. @default 30000 */
  handlerTimeoutMs?: number;
  /** Longest wait for in-flight handlers on close, in ms. @default 10000 */
  shutdownTimeoutMs?: number;
  /**
   * Largest size of a message's headers (names and values, UTF-8 bytes).
   * A message over it is dead-lettered as MalformedMessageError before its
   * handler runs: a handler would pass its correlation id and trace on to
   * every message it publishes, and those to theirs. @default 16384
   */
  maxHeaderBytes?: number;
}

export const RELIABLE_SERVER_DEFAULTS = {
  concurrency: 16,
  handlerTimeoutMs: 30_000,
  shutdownTimeoutMs: 10_000,
  maxHeaderBytes: 16 * 1024,
} as const;
