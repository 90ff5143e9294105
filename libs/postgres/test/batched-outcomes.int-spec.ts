import { setTimeout as sleep } from 'node:timers/promises';
import { createEnvelope, type MessageContext } from '@mq/core';
import { uniqueName } from '@mq/testing';
import { registerSubscriptions } from '../src/schema/register-subscriptions.js';
import { eventually, gate, QueueHarness } from './support/queue-harness.js';

const TYPE = 'order.created';

let harness: QueueHarness;

beforeEach(async () => {
  harness = new QueueHarness(uniqueName('pgbat'));
  await harness.setup();
});

afterEach(async () => {
  await harness.teardown();
});

/** Status of the delivery of a message, read on a connection of the test. */
async function statusOf(messageId: string): Promise<string | undefined> {
  return (await harness.delivery(messageId, 'billing'))?.status;
}

describe('PostgresServer with batched done outcomes', () => {
  it('writes the done outcomes of many deliveries with few statements', async () => {
    await harness.startServer(
      { consumerGroup: 'billing', concurrency: 16 },
      { [TYPE]: () => undefined },
    );
    const envelopes = Array.from({ length: 200 }, (_, i) =>
      createEnvelope(TYPE, { i }, { key: `order-${i}` }),
    );
    await harness.client().publishEnvelopes(envelopes);

    await eventually(async () => {
      const done = await harness.count(
        `${harness.schema.deliveries} WHERE status = 'done'`,
      );
      expect(done).toBe(200);
    });
    // now() is the time of the statement's transaction: rows marked done
    // together share their finished_at.
    const writes = await harness.count(
      `(SELECT DISTINCT finished_at FROM ${harness.schema.deliveries}) AS w`,
    );
    expect(writes).toBeLessThan(100);
    const leased = await harness.count(
      `${harness.schema.deliveries} WHERE leased_by IS NOT NULL`,
    );
    expect(leased).toBe(0);
  });

  it('claims the next delivery of a key only once the one before it is done', async () => {
    const keys = ['a', 'b', 'c', 'd'];
    const handled = new Map<string, number[]>(keys.map((key) => [key, []]));
    const previous = new Map<string, string>();
    const notDoneYet: string[] = [];
    await harness.startServer(
      { consumerGroup: 'billing', concurrency: 8 },
      {
        [TYPE]: async (payload: unknown, ctx: MessageContext) => {
          const { key, id } = ctx.getEnvelope();
          const before = previous.get(key);
          if (before && (await statusOf(before)) !== 'done') {
            notDoneYet.push(`${key}: ${before}`);
          }
          previous.set(key, id);
          handled.get(key)!.push((payload as { seq: number }).seq);
          await sleep(Math.random() * 3);
        },
      },
    );
    const envelopes = Array.from({ length: 15 }, (_, seq) =>
      keys.map((key) => createEnvelope(TYPE, { seq }, { key })),
    ).flat();
    await harness.client().publishEnvelopes(envelopes);

    const expected = Array.from({ length: 15 }, (_, seq) => seq);
    await eventually(() => {
      for (const key of keys) {
        expect(handled.get(key)).toEqual(expected);
      }
    }, 10_000);
    expect(notDoneYet).toEqual([]);
  });

  it('delivers again a handled message whose done was never written', async () => {
    await registerSubscriptions(harness.db, 'billing', [TYPE], {
      schema: harness.schema.name,
    });
    const held = gate();
    const first: number[] = [];
    const crashed = await harness.startServer(
      { consumerGroup: 'billing', leaseMs: 1000, shutdownTimeoutMs: 2000 },
      {
        [TYPE]: async (_: unknown, ctx: MessageContext) => {
          first.push(ctx.getAttempt());
          await held.promise;
        },
      },
    );
    harness.onTeardown(async () => held.open());
    const envelope = await harness
      .client()
      .publishEvent(TYPE, { n: 1 }, { key: 'k' });
    await eventually(() => expect(first).toEqual([1]));

    // The handler succeeds while no write can reach the table, and the
    // server goes away before any could: handled, but never marked done.
    const { deliveries, quoted } = harness.schema;
    await harness.db.query(`ALTER TABLE ${deliveries} RENAME TO hidden`);
    held.open();
    await crashed.close();
    await harness.db.query(`ALTER TABLE ${quoted}.hidden RENAME TO deliveries`);
    expect(await harness.delivery(envelope.id, 'billing')).toMatchObject({
      status: 'pending',
      attempts: 1,
    });

    const second: number[] = [];
    await harness.startServer(
      { consumerGroup: 'billing', pollIntervalMs: 100 },
      {
        [TYPE]: (_: unknown, ctx: MessageContext) =>
          void second.push(ctx.getAttempt()),
      },
    );
    await eventually(() => expect(second).toEqual([2]), 5000);
    await eventually(async () => {
      expect(await harness.delivery(envelope.id, 'billing')).toMatchObject({
        status: 'done',
        attempts: 2,
      });
    });
  });

  it('delivers and marks done with synchronousAcks off as well', async () => {
    const handled: number[] = [];
    await harness.startServer(
      { consumerGroup: 'billing', synchronousAcks: false },
      {
        [TYPE]: (payload: unknown) =>
          void handled.push((payload as { n: number }).n),
      },
    );
    const client = harness.client();
    for (let n = 0; n < 5; n += 1) {
      await client.publishEvent(TYPE, { n }, { key: 'k' });
    }

    await eventually(() => expect(handled).toEqual([0, 1, 2, 3, 4]));
    await eventually(async () => {
      const done = await harness.count(
        `${harness.schema.deliveries} WHERE status = 'done'`,
      );
      expect(done).toBe(5);
    });
  });

  it('writes the done outcomes still waiting when it closes', async () => {
    let handled = 0;
    const server = await harness.startServer(
      { consumerGroup: 'billing', concurrency: 4 },
      { [TYPE]: () => void (handled += 1) },
    );
    const envelopes = Array.from({ length: 40 }, (_, i) =>
      createEnvelope(TYPE, { i }, { key: `order-${i}` }),
    );
    await harness.client().publishEnvelopes(envelopes);
    await eventually(() => expect(handled).toBe(40));

    await server.close();
    const done = await harness.count(
      `${harness.schema.deliveries} WHERE status = 'done'`,
    );
    expect(done).toBe(40);
  });
});
