/** Defaults and fixed values of the PostgreSQL transport. */
export const POSTGRES_DEFAULTS = {
  schema: 'mq',
  pollIntervalMs: 1000,
  /** Floor of the lease; the server takes twice its handler timeout if more. */
  leaseMs: 60_000,
  batchSize: 32,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  cleanupIntervalMs: 60_000,
  /** Claims and done marks wait for the WAL flush, as every commit. */
  synchronousAcks: true,
  /** Group commit of PostgresClient: messages per INSERT at most. */
  maxBatchMessages: 256,
  /** Group commit: body bytes per INSERT at most. */
  maxBatchBytes: 1024 * 1024,
  /** Group commit: INSERT statements of one client running at once. */
  maxConcurrentInserts: 1,
} as const;

/** Delivery row states. */
export const DeliveryStatus = {
  pending: 'pending',
  done: 'done',
  dead: 'dead',
} as const;

export type DeliveryStatus =
  (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/**
 * First half of the two-part advisory lock key that serialises migrations;
 * the second half is a hash of the schema name. Picked at random once so it
 * does not meet locks of the application.
 */
export const MIGRATION_LOCK_KEY = 0x6d715f31;

/** Backoff after a failed claim or a lost LISTEN connection, in ms. */
export const RECONNECT_MIN_DELAY_MS = 100;
export const RECONNECT_MAX_DELAY_MS = 5000;

/**
 * Longest message key, in UTF-8 bytes. The key is indexed with the group
 * (`deliveries_pending_key_idx`), and a btree entry holds at most 2704
 * bytes, so a longer key failed the insert with an index error.
 */
export const MAX_KEY_BYTES = 1024;

/** Longest error message stored on a delivery row. */
export const MAX_ERROR_MESSAGE_LENGTH = 2000;

/** PostgreSQL truncates longer identifiers and application names. */
export const MAX_IDENTIFIER_LENGTH = 63;

/** Rows deleted per statement by the retention cleanup. */
export const CLEANUP_BATCH_SIZE = 1000;

export const SERVER_APPLICATION_PREFIX = 'mq-server';
export const CLIENT_APPLICATION_PREFIX = 'mq-client';
