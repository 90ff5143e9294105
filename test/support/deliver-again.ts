import { JsonCodec, type Envelope } from '@mq/core';
import { Patterns } from '@mq/contracts';
import { withPublisher } from '../../scripts/demo/saga-publisher.js';
import type { E2eSystem } from './e2e-system.js';

/**
 * Makes the broker deliver every `order.created` of the run to
 * payment-service a second time, with the same message id, as an
 * at-least-once broker may after a lost ack or a producer retry. The
 * handler then runs again and only its inbox can stop the second charge.
 * Returns how many messages go out again.
 *
 * - Kafka, RabbitMQ, Redis: the envelopes order-service's outbox relayed
 *   are published once more, unchanged, through the services' own
 *   transport client.
 * - Postgres: that transport drops a publish whose message id it already
 *   has (which makes a relay retry harmless), so a second publish would
 *   never reach the handler. Instead payment-service's delivery rows are
 *   put back to `pending`, which is what an expired lease does to a
 *   message whose handler finished but whose ack was lost.
 */
export async function deliverOrderCreatedAgain(
  e2e: E2eSystem,
): Promise<number> {
  if (e2e.transport.name === 'postgres') {
    return redeliverFromQueueTables(e2e);
  }
  const envelopes = await relayedOrderCreated(e2e);
  await withPublisher(e2e, (client) => client.publishEnvelopes(envelopes));
  return envelopes.length;
}

async function relayedOrderCreated(e2e: E2eSystem): Promise<Envelope[]> {
  const { rows } = await e2e.db.query<{
    message_id: string;
    type: string;
    key: string;
    headers: Record<string, string>;
    payload: string;
    occurred_at: Date;
  }>(
    `SELECT message_id, type, key, headers, payload, occurred_at
       FROM ${e2e.table('orders', 'outbox_messages')}
      WHERE type = $1 AND published_at IS NOT NULL
      ORDER BY id`,
    [Patterns.orderCreated],
  );
  return rows.map((row) => ({
    id: row.message_id,
    type: row.type,
    key: row.key,
    payload: JsonCodec.decode(row.payload),
    occurredAt: row.occurred_at.toISOString(),
    headers: row.headers,
  }));
}

async function redeliverFromQueueTables(e2e: E2eSystem): Promise<number> {
  const mq = `"${e2e.namespace}_mq"`;
  // Groups are the plain service names; the schema is the namespace.
  const group = 'payment-service';
  const result = await e2e.db.query(
    `UPDATE ${mq}.deliveries d
        SET status = 'pending', available_at = now(),
            leased_by = NULL, leased_until = NULL, finished_at = NULL
       FROM ${mq}.messages m
      WHERE m.id = d.message_id AND m.type = $1
        AND d.consumer_group = $2 AND d.status = 'done'`,
    [Patterns.orderCreated, group],
  );
  await e2e.db.query('SELECT pg_notify($1, $2)', [
    `${e2e.namespace}_mq_messages`,
    group,
  ]);
  return result.rowCount ?? 0;
}
