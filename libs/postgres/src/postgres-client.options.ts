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
   * application_name of the client's sessions (pools it creates only).
   * @default `mq-client-<random>`
   */
  applicationName?: string;
}
