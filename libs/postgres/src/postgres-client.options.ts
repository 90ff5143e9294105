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
   * application_name of the client's sessions (pools it creates only).
   * @default `mq-client-<random>`
   */
  applicationName?: string;
}
