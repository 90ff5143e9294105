import type { PostgresConnection } from './connection/postgres-connection.js';
import type { QueueSchemaOptions } from './schema/queue-schema.js';

/**
 * Options of PostgresClient.
 *
 * @example
 * new PostgresClient({ connection: process.env.DATABASE_URL });
 */
export interface PostgresClientOptions extends QueueSchemaOptions {
  /** Connection string, pool config, or a `pg.Pool` you own. Required. */
  connection: PostgresConnection;
  /** Body size limit in bytes. @default DEFAULT_MAX_MESSAGE_BYTES (256 KiB) */
  maxMessageBytes?: number;
  /** Run the queue migration on connect. @default true */
  migrate?: boolean;
  /**
   * Consumer groups of what this client publishes, with the types each
   * consumes, registered on connect, before the first publish. A publish
   * fans out only to groups subscribed at that moment, so without this a
   * message published before its consumer first listened is kept for no
   * one. Same as calling `registerSubscriptions` for each group.
   * @default {} (none)
   * @example { 'payment-service': ['order.created'] }
   */
  subscriptions?: Readonly<Record<string, readonly string[]>>;
  /**
   * Group commit: publish calls made while earlier INSERTs run are written
   * together by one INSERT, in call order, each call resolving after the
   * commit that holds it. Most messages per statement; one call with more
   * is still written whole. 1 turns grouping off.
   * @default 256
   */
  maxBatchMessages?: number;
  /** Group commit: most body bytes per statement. @default 1048576 (1 MiB) */
  maxBatchBytes?: number;
  /**
   * Group commit: INSERT statements of this client running at once. With
   * 1 the client's publishes are stored in exactly the order of the calls,
   * even calls not awaited; with more, calls in flight at the same time
   * may be stored in either order (awaited calls always keep theirs). More
   * did not publish faster on the development machine.
   * @default 1
   */
  maxConcurrentInserts?: number;
  /**
   * application_name of the client's sessions (pools it creates only).
   * @default `mq-client-<random>`
   */
  applicationName?: string;
}
