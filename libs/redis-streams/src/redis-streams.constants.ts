/** Defaults of the Redis Streams transport, in one place. */
export const REDIS_STREAMS_DEFAULTS = {
  url: 'redis://127.0.0.1:6379',
  keyPrefix: 'mq',
  connectTimeoutMs: 10_000,
  socketTimeoutMs: 10_000,
  blockMs: 5_000,
  visibilityTimeoutMs: 60_000,
  claimIntervalMs: 5_000,
  retryPollIntervalMs: 500,
  retryMoveBatch: 100,
  startFrom: 'beginning',
} as const;

/**
 * Stream entry fields that are not envelope headers. `body` carries the
 * payload bytes; `mq-target-group` limits a retried or redriven copy to the
 * one consumer group it is meant for, since every group reads the stream.
 */
export const EntryFields = {
  body: 'body',
  targetGroup: 'mq-target-group',
} as const;

/** Extra time a blocked read may take on the client before it is given up. */
export const BLOCK_GRACE_MS = 1_000;

/** Longest pause between two failed reads or group recoveries. */
export const MAX_READ_BACKOFF_MS = 5_000;

/**
 * Entries after which queued publishes are sent without waiting for the end
 * of the event-loop turn, so Redis starts on them while later ones are
 * still being encoded.
 */
export const PUBLISH_BATCH_SIZE = 16;
