import type { ClientConfig } from 'pg';

/** How the relay waits after a failed try. All delays are in ms. */
export interface RelayBackoffOptions {
  /** Wait after the first failure. @default 250 */
  initialDelayMs?: number;
  /** Growth per further failure, at least 1. @default 2 */
  multiplier?: number;
  /** Longest wait. @default 30000 */
  maxDelayMs?: number;
}

/** Options of OutboxRelay. */
export interface OutboxRelayOptions {
  /**
   * Whether this process runs a relay at all. Turn it off in processes that
   * only write to the outbox while another process of the service relays.
   * @default true
   */
  enabled?: boolean;
  /**
   * Rows published per call of the publisher, 1 to 10000. Each batch costs
   * a select, a wait for the broker's confirms and an update; 500 rather
   * than 100 took the relay from about 4,500 to 7,000 rows/s into Kafka
   * and Postgres here. A failed batch is published again whole.
   * @default 500
   */
  batchSize?: number;
  /**
   * Longest wait between two scans when no NOTIFY arrives, in ms: the
   * fallback for a lost notification.
   * @default 1000
   */
  pollIntervalMs?: number;
  /** Age after which published rows are deleted, in ms. @default 7 days */
  retentionMs?: number;
  /** Time between two cleanups, in ms. @default 1 hour */
  cleanupIntervalMs?: number;
  /**
   * Time between two tries of the relay lock while another instance holds
   * it, in ms: the longest a standby waits to take over.
   * @default 2000
   */
  lockRetryMs?: number;
  /**
   * Longest wait for the publisher to confirm one batch, in ms; 0 for none.
   * A batch past it counts as failed and is retried, though the broker may
   * still accept the first try (a duplicate, as after any failure).
   * @default 30000
   */
  publishTimeoutMs?: number;
  /** Waits after failed publishes, queries and connects. */
  backoff?: RelayBackoffOptions;
  /**
   * Longest wait for the batch in flight on stop, in ms. After it the
   * connection is closed anyway and that batch is published again later.
   * @default 10000
   */
  shutdownTimeoutMs?: number;
  /**
   * NOTIFY channel; must match OutboxService's.
   * @default `<schema>_outbox`
   */
  channel?: string;
  /**
   * Name of the advisory lock that elects the active instance.
   * @default `mq-outbox:<schema>.outbox_messages`
   */
  lockName?: string;
  /**
   * Settings of the relay's own connection, merged over those of the
   * DataSource. That connection holds a session-level lock and LISTENs, so
   * it must reach PostgreSQL directly, not through a transaction pooler.
   * @default the DataSource's host, port, user, password, database and ssl
   */
  connection?: ClientConfig;
}

export const OUTBOX_RELAY_DEFAULTS = {
  enabled: true,
  batchSize: 500,
  pollIntervalMs: 1000,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  cleanupIntervalMs: 60 * 60 * 1000,
  lockRetryMs: 2000,
  publishTimeoutMs: 30_000,
  shutdownTimeoutMs: 10_000,
  backoff: { initialDelayMs: 250, multiplier: 2, maxDelayMs: 30_000 },
  applicationName: 'mq-outbox-relay',
  connectionTimeoutMillis: 10_000,
} as const;
