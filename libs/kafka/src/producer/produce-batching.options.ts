import { KAFKA_DEFAULTS } from '../kafka.constants.js';

/**
 * How sends are gathered into produce requests. The producer is idempotent
 * with one request in flight, so one message per request would cap
 * publishing at one broker round trip per message; instead, what is sent
 * to a topic while its request is in flight (or within `lingerMs`) goes
 * out together in the next one, as Kafka's own producer does with
 * `linger.ms`.
 */
export interface ProduceBatchingOptions {
  /**
   * How long the first message of an idle producer waits for others to
   * join its request, in ms. 0 sends once the current event-loop turn is
   * over, so sends of the same tick share a request. Messages queued
   * behind a request in flight go out as soon as it is acknowledged.
   * @default 0
   */
  lingerMs?: number;
  /** Most messages in one produce request. @default 500 */
  maxBatchMessages?: number;
  /**
   * Most bytes (keys, values, headers, plus a small per-record allowance)
   * in one produce request. Keep it below the broker's `message.max.bytes`
   * (1 MiB by default), which applies to the records of one partition in
   * a request. A single larger message still goes, alone.
   * @default 524288 (512 KiB)
   */
  maxBatchBytes?: number;
}

export type BatchLimits = Required<ProduceBatchingOptions>;

/** The options with defaults applied; throws naming a bad one. */
export function batchLimits(options: ProduceBatchingOptions = {}): BatchLimits {
  const limits: BatchLimits = {
    lingerMs: options.lingerMs ?? KAFKA_DEFAULTS.lingerMs,
    maxBatchMessages:
      options.maxBatchMessages ?? KAFKA_DEFAULTS.maxBatchMessages,
    maxBatchBytes: options.maxBatchBytes ?? KAFKA_DEFAULTS.maxBatchBytes,
  };
  if (!Number.isFinite(limits.lingerMs) || limits.lingerMs < 0) {
    throw new RangeError(
      `Kafka producer: lingerMs must be a number >= 0, got ${limits.lingerMs}`,
    );
  }
  for (const name of ['maxBatchMessages', 'maxBatchBytes'] as const) {
    if (!Number.isInteger(limits[name]) || limits[name] < 1) {
      throw new RangeError(
        `Kafka producer: ${name} must be an integer >= 1, got ${limits[name]}`,
      );
    }
  }
  return limits;
}
