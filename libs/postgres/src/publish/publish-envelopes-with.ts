import type { Envelope } from '@mq/core';
import type { Queryable } from '../connection/queryable.js';
import {
  QueueSchema,
  type QueueSchemaOptions,
} from '../schema/queue-schema.js';
import { insertMessages } from './insert-messages.js';
import { toQueueRows } from './queue-row.js';

export interface PublishWithOptions extends QueueSchemaOptions {
  /** Body size limit in bytes. @default DEFAULT_MAX_MESSAGE_BYTES (256 KiB) */
  maxMessageBytes?: number;
}

/**
 * Publishes envelopes through a connection you hold, typically inside your
 * own transaction: the messages become visible, and consumers are woken,
 * only when you commit, and vanish if you roll back. The queue tables must
 * exist (a PostgresServer or PostgresClient creates them, or call
 * `runMigrations`).
 *
 * @example
 * await client.query('BEGIN');
 * await client.query('UPDATE orders SET ...');
 * await publishEnvelopesWith(client, [createEnvelope(type, payload, { key })]);
 * await client.query('COMMIT');
 */
export async function publishEnvelopesWith(
  db: Queryable,
  envelopes: readonly Envelope[],
  options: PublishWithOptions = {},
): Promise<void> {
  const rows = toQueueRows(envelopes, options.maxMessageBytes);
  await insertMessages(db, new QueueSchema(options), rows);
}
