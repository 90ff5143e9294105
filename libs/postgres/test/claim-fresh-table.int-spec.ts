import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { uniqueName } from '@mq/testing';
import { ClaimSession } from '../src/consume/claim-session.js';
import { claimSql } from '../src/consume/claim-sql.js';
import { DeliveryRepository } from '../src/consume/delivery.repository.js';
import { insertMessages } from '../src/publish/insert-messages.js';
import type { QueueRow } from '../src/publish/queue-row.js';
import { registerSubscriptions } from '../src/schema/register-subscriptions.js';
import { QueueHarness } from './support/queue-harness.js';

const TYPE = 'order.created';
const LEASE_MS = 60_000;

let harness: QueueHarness;
let session: ClaimSession;
let repository: DeliveryRepository;

beforeEach(async () => {
  harness = new QueueHarness(uniqueName('pgfresh'));
  await harness.setup();
  // Fresh tables have no statistics, and must keep none during the test.
  await harness.db.query(
    `ALTER TABLE ${harness.schema.deliveries}
     SET (autovacuum_enabled = false)`,
  );
  await registerSubscriptions(harness.db, 'billing', [TYPE], {
    schema: harness.schema.name,
  });
  session = new ClaimSession(
    { connectionString: harness.url },
    new Logger('claim-fresh-table'),
    true,
  );
  repository = new DeliveryRepository(
    harness.db,
    session,
    harness.schema,
    'billing',
    'test-owner',
  );
});

afterEach(async () => {
  await session.end();
  await harness.teardown();
});

/** Publishes `keys[i]` for i in order, in statements of 1,000 rows. */
async function publishKeys(keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += 1000) {
    const rows: QueueRow[] = keys.slice(start, start + 1000).map((key) => ({
      messageId: randomUUID(),
      type: TYPE,
      key,
      headers: {},
      body: Buffer.from('{}'),
    }));
    await insertMessages(harness.db, harness.schema, rows);
  }
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows the plan read from the deliveries table, kept or filtered out. */
function deliveryRowsRead(node: PlanNode): number {
  const own =
    node['Relation Name'] === 'deliveries'
      ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) *
        (node['Actual Loops'] ?? 1)
      : 0;
  return (node.Plans ?? []).reduce(
    (sum, child) => sum + deliveryRowsRead(child),
    own,
  );
}

describe('the claim on a fresh table without statistics', () => {
  it('claims the heads of the keys in publish order from a backlog of 10,000', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `key-${i % 1000}`);
    await publishKeys(keys);
    // The heads of key-0 to key-2 are leased by a consumer that crashed.
    await harness.db.query(
      `UPDATE ${harness.schema.deliveries}
       SET leased_by = 'crashed', leased_until = now() + interval '1 hour'
       WHERE key IN ('key-0', 'key-1', 'key-2')
         AND message_id IN (SELECT min(message_id)
                            FROM ${harness.schema.deliveries} GROUP BY key)`,
    );
    const stats = await harness.count(
      `pg_stats WHERE schemaname = $1 AND tablename = 'deliveries'`,
      [harness.schema.name],
    );
    expect(stats).toBe(0);

    const first = await repository.claim(16, LEASE_MS, [], []);
    expect(first.claimed.map((delivery) => delivery.key)).toEqual(
      Array.from({ length: 16 }, (_, i) => `key-${i + 3}`),
    );
    expect(first.claimed.every((delivery) => delivery.attempts === 1)).toBe(
      true,
    );

    const ids = first.claimed.map((delivery) => delivery.id);
    const second = await repository.claim(16, LEASE_MS, ids, ids);
    expect([...second.done].sort()).toEqual([...ids].sort());
    expect(second.claimed.map((delivery) => delivery.key)).toEqual(
      Array.from({ length: 16 }, (_, i) => `key-${i + 19}`),
    );
    const done = await harness.count(
      `${harness.schema.deliveries} WHERE status = 'done'`,
    );
    expect(done).toBe(16);
  });

  it('reads a few hundred rows per claim, not the whole backlog per candidate', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `key-${i % 1000}`);
    await publishKeys(keys);
    const claimed = await repository.claim(16, LEASE_MS, [], []);
    const ids = claimed.claimed.map((delivery) => delivery.id);

    const connection = await harness.db.connect();
    try {
      await connection.query('BEGIN');
      const explained = await connection.query<{
        'QUERY PLAN': Array<{ Plan: PlanNode }>;
      }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${claimSql(harness.schema)}`, [
        'billing',
        'test-owner',
        ids,
        ids[0],
        ids.at(-1),
        LEASE_MS,
        16,
        ids,
      ]);
      await connection.query('ROLLBACK');
      const plan = explained.rows[0]['QUERY PLAN'][0].Plan;
      // The NOT EXISTS form read 160,000 rows here (10,000 per candidate).
      expect(deliveryRowsRead(plan)).toBeLessThan(1000);
    } finally {
      connection.release();
    }
  });

  it('lets the key of a delivery marked done in the same statement go on', async () => {
    await publishKeys(['a', 'b', 'a', 'b', 'a']);
    const first = await repository.claim(10, LEASE_MS, [], []);
    expect(first.claimed.map((delivery) => delivery.key)).toEqual(['a', 'b']);

    const [a0, b0] = first.claimed.map((delivery) => delivery.id);
    const second = await repository.claim(10, LEASE_MS, [a0], [a0, b0]);
    expect([...second.done]).toEqual([a0]);
    // b is still in flight: its next delivery waits.
    expect(second.claimed.map((delivery) => delivery.key)).toEqual(['a']);
  });
});
