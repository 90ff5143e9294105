import type { Queryable } from '../connection/queryable.js';
import type { QueueSchema } from '../schema/queue-schema.js';
import type { QueueRow } from './queue-row.js';

/**
 * Inserts the messages and, for each, one delivery per group subscribed to
 * its type, then notifies those groups: one statement, so it is atomic on
 * its own and joins the caller's transaction when there is one (NOTIFY is
 * delivered at commit). A message id already present is skipped with its
 * deliveries, which makes a repeated publish (an outbox relay retrying
 * after a crash) harmless. Returns the groups that received deliveries.
 */
export async function insertMessages(
  db: Queryable,
  schema: QueueSchema,
  rows: readonly QueueRow[],
): Promise<string[]> {
  if (rows.length === 0) {
    return [];
  }
  const result = await db.query<{ consumer_group: string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[],
                            $4::jsonb[], $5::bytea[])
         WITH ORDINALITY AS t(message_id, type, key, headers, body, ord)
     ),
     inserted AS (
       INSERT INTO ${schema.messages} (message_id, type, key, headers, body)
       SELECT message_id, type, key, headers, body FROM input ORDER BY ord
       ON CONFLICT (message_id) DO NOTHING
       RETURNING id, type, key
     ),
     delivered AS (
       INSERT INTO ${schema.deliveries} (consumer_group, message_id, key)
       SELECT s.consumer_group, i.id, i.key
       FROM inserted i
       JOIN ${schema.subscriptions} s ON s.pattern = i.type
       ORDER BY i.id
       RETURNING consumer_group
     )
     SELECT g.consumer_group, pg_notify($6, g.consumer_group)
     FROM (SELECT DISTINCT consumer_group FROM delivered) g`,
    [
      rows.map((row) => row.messageId),
      rows.map((row) => row.type),
      rows.map((row) => row.key),
      rows.map((row) => JSON.stringify(row.headers)),
      rows.map((row) => row.body),
      schema.channel,
    ],
  );
  return result.rows.map((row) => row.consumer_group);
}
