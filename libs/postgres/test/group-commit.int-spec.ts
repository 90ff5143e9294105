import { uniqueName } from '@mq/testing';
import { QueueHarness } from './support/queue-harness.js';

const TYPE = 'order.created';

let harness: QueueHarness;

beforeEach(async () => {
  harness = new QueueHarness(uniqueName('pggc'));
  await harness.setup();
});

afterEach(async () => {
  await harness.teardown();
});

describe('PostgresClient group commit', () => {
  it('stores concurrent publishes with few statements, in call order, each durable once resolved', async () => {
    const client = harness.client();
    await client.connect();
    const visibleWhenResolved: boolean[] = [];
    const calls = Array.from({ length: 100 }, (_, n) =>
      client
        .publishEvent(TYPE, { n }, { key: `k-${n % 7}` })
        .then(async (envelope) => {
          // Read on another connection: committed, not merely sent.
          const rows = await harness.count(
            `${harness.schema.messages} WHERE message_id = $1`,
            [envelope.id],
          );
          visibleWhenResolved.push(rows === 1);
          return envelope;
        }),
    );
    const envelopes = await Promise.all(calls);

    expect(visibleWhenResolved).toEqual(Array(100).fill(true));
    const stored = await harness.db.query<{ message_id: string }>(
      `SELECT message_id::text FROM ${harness.schema.messages} ORDER BY id`,
    );
    expect(stored.rows.map((row) => row.message_id)).toEqual(
      envelopes.map((envelope) => envelope.id),
    );
    // now() is the time of the transaction: one value per statement.
    const statements = await harness.count(
      `(SELECT DISTINCT created_at FROM ${harness.schema.messages}) AS s`,
    );
    expect(statements).toBeLessThan(50);
  });

  it('fails only the call PostgreSQL refuses, not those grouped with it', async () => {
    const client = harness.client();
    await client.connect();
    const outcomes = await Promise.all(
      ['a', 'b\u0000', 'c', 'd'].map((key) =>
        client.publishEvent(TYPE, { key }, { key }).then(
          () => `${key} stored`,
          () => `${JSON.stringify(key)} refused`,
        ),
      ),
    );

    expect(outcomes).toEqual([
      'a stored',
      '"b\\u0000" refused',
      'c stored',
      'd stored',
    ]);
    expect(await harness.count(harness.schema.messages)).toBe(3);
  });

  it('waits at close for the publishes already made', async () => {
    const client = harness.client();
    await client.connect();
    const calls = Array.from({ length: 20 }, (_, n) =>
      client.publishEvent(TYPE, { n }, { key: 'k' }),
    );
    await client.close();
    await Promise.all(calls);
    expect(await harness.count(harness.schema.messages)).toBe(20);
  });
});
