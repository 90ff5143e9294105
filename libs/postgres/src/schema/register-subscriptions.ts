import type { Queryable } from '../connection/queryable.js';
import { QueueSchema, type QueueSchemaOptions } from './queue-schema.js';

/**
 * Subscribes a consumer group to message types ahead of its first start,
 * so that messages published before it listens are kept for it. A server
 * does the same for its `@EventPattern`s at listen; call this from a
 * deploy or migration step when publishers may start first. Idempotent.
 */
export async function registerSubscriptions(
  db: Queryable,
  consumerGroup: string,
  patterns: readonly string[],
  options: QueueSchemaOptions = {},
): Promise<void> {
  const schema = new QueueSchema(options);
  await db.query(
    `INSERT INTO ${schema.subscriptions} (consumer_group, pattern)
     SELECT $1, unnest($2::text[])
     ON CONFLICT DO NOTHING`,
    [consumerGroup, patterns],
  );
}
