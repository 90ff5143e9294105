import type { ReliableServerOptions } from '@mq/core';
import type { PostgresConnection } from './connection/postgres-connection.js';
import type { QueueSchemaOptions } from './schema/queue-schema.js';

/**
 * Options of PostgresServer, on top of the common ones (consumerGroup,
 * retry, concurrency, handlerTimeoutMs, shutdownTimeoutMs).
 *
 * @example
 * new PostgresServer({
 *   connection: process.env.DATABASE_URL,
 *   consumerGroup: 'payment-service',
 *   retry: { maxAttempts: 5, initialDelayMs: 1000 },
 * });
 */
export interface PostgresServerOptions
  extends ReliableServerOptions, QueueSchemaOptions {
  /** Connection string, pool config, or a `pg.Pool` you own. Required. */
  connection: PostgresConnection;
  /**
   * Longest wait between two claims when no NOTIFY arrives: the fallback
   * for a lost wake-up, and what picks up retries that other servers
   * scheduled and leases that expired.
   * @default 1000
   */
  pollIntervalMs?: number;
  /**
   * How long a claimed delivery stays reserved for this server. The lease
   * is renewed every third of it while the handler runs, so it only bounds
   * how soon the messages of a crashed server come back.
   * @default the larger of 60000 and twice handlerTimeoutMs
   */
  leaseMs?: number;
  /**
   * Most deliveries claimed by one query; never more than free slots. The
   * same query writes done for the deliveries handled since the last one.
   * @default 32
   */
  batchSize?: number;
  /**
   * Whether claims and done marks wait for the WAL flush, as any commit
   * does by default. With false they are committed with
   * `synchronous_commit = off`, which saves a flush per claim (worth it
   * where fsync is slow): a crash of PostgreSQL itself, not of a
   * consumer, may then forget the last few hundred ms of them, and those
   * messages are delivered again (at least once still holds, and key
   * order too: the WAL keeps commits in order). Published messages,
   * retries and dead letters always wait for the flush.
   * @default true
   */
  synchronousAcks?: boolean;
  /**
   * Run the queue migration at listen. Turn off when the schema is managed
   * elsewhere (call `runMigrations` from your own migration tool).
   * @default true
   */
  migrate?: boolean;
  /**
   * application_name of this server's sessions, so they can be found in
   * pg_stat_activity. Only applies to pools the server creates.
   * @default `mq-server-<random>-<consumerGroup>`
   */
  applicationName?: string;
  /** How long done deliveries (and their messages) are kept. @default 7 days */
  retentionMs?: number;
  /** How often the retention cleanup runs; 0 turns it off. @default 60000 */
  cleanupIntervalMs?: number;
}
