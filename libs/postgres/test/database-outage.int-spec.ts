import type { MessageContext } from '@mq/core';
import { uniqueName } from '@mq/testing';
import { registerSubscriptions } from '../src/schema/register-subscriptions.js';
import { eventually, gate, QueueHarness } from './support/queue-harness.js';

const TYPE = 'order.created';

let harness: QueueHarness;

beforeEach(async () => {
  harness = new QueueHarness(uniqueName('pgout'));
  await harness.setup();
});

afterEach(async () => {
  await harness.teardown();
});

/** Makes the deliveries table vanish, as far as the server can tell. */
async function hideDeliveries(): Promise<() => Promise<void>> {
  const { deliveries, quoted } = harness.schema;
  await harness.db.query(`ALTER TABLE ${deliveries} RENAME TO hidden`);
  return async () => {
    await harness.db.query(`ALTER TABLE ${quoted}.hidden RENAME TO deliveries`);
  };
}

// Found by restarting the database under load: outcome writes were given
// up after ~0.6 s, so deliveries waited for their whole lease (60 s), and
// the lease of an abandoned delivery was renewed for as long as any other
// handler of the server was running.
describe('PostgresServer when the database goes away', () => {
  it('records the outcome once the database is back, not after the lease', async () => {
    const held = gate();
    const seen: number[] = [];
    await harness.startServer(
      { consumerGroup: 'billing', leaseMs: 60_000, pollIntervalMs: 100 },
      {
        [TYPE]: async (_: unknown, ctx: MessageContext) => {
          seen.push(ctx.getAttempt());
          await held.promise;
        },
      },
    );
    harness.onTeardown(async () => held.open());
    const envelope = await harness
      .client()
      .publishEvent(TYPE, { n: 1 }, { key: 'k' });
    await eventually(() => expect(seen).toEqual([1]));

    const restore = await hideDeliveries();
    held.open();
    // Longer than the old three tries (about 0.6 s) took.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await restore();

    await eventually(async () => {
      const row = await harness.delivery(envelope.id, 'billing');
      expect(row).toMatchObject({ status: 'done', attempts: 1 });
    }, 8000);
    expect(seen).toEqual([1]);
  });

  it('renews only the leases of deliveries that are in flight', async () => {
    await registerSubscriptions(harness.db, 'billing', [TYPE], {
      schema: harness.schema.name,
    });
    const held = gate();
    const seen: Array<{ n: number; attempt: number }> = [];
    await harness.startServer(
      { consumerGroup: 'billing', leaseMs: 600, pollIntervalMs: 100 },
      {
        [TYPE]: async (payload: unknown, ctx: MessageContext) => {
          const { n } = payload as { n: number };
          seen.push({ n, attempt: ctx.getAttempt() });
          if (n === 1) {
            await held.promise;
          }
        },
      },
    );
    harness.onTeardown(async () => held.open());
    const client = harness.client();
    const first = await client.publishEvent(TYPE, { n: 1 }, { key: 'a' });
    await eventually(() => expect(seen).toEqual([{ n: 1, attempt: 1 }]));
    const owner = (await harness.delivery(first.id, 'billing'))?.leased_by;
    expect(owner).toBeTruthy();

    // A delivery this server claimed and then abandoned (its outcome
    // could not be written): leased by the same owner, not in flight.
    const second = await client.publishEvent(TYPE, { n: 2 }, { key: 'b' });
    await eventually(() => expect(seen).toHaveLength(2));
    await harness.db.query(
      `UPDATE ${harness.schema.deliveries} d
       SET status = 'pending', attempts = 1, leased_by = $1,
           leased_until = now() + interval '300 milliseconds'
       FROM ${harness.schema.messages} m
       WHERE m.id = d.message_id AND m.message_id = $2`,
      [owner, second.id],
    );

    // Several renewals (every 200 ms) while the first handler runs: the
    // abandoned lease must run out and the message come back.
    await eventually(
      () => expect(seen).toContainEqual({ n: 2, attempt: 2 }),
      4000,
    );
    held.open();
  });

  // Outcome writes now keep trying for up to a lease, so a lease can run
  // out while its delivery is still in flight here; claiming it again
  // would run a second handler beside the first.
  it('never claims again a delivery it still has in flight', async () => {
    const held = gate();
    const seen: number[] = [];
    await harness.startServer(
      { consumerGroup: 'billing', leaseMs: 60_000, pollIntervalMs: 50 },
      {
        [TYPE]: async (_: unknown, ctx: MessageContext) => {
          seen.push(ctx.getAttempt());
          await held.promise;
        },
      },
    );
    harness.onTeardown(async () => held.open());
    const envelope = await harness
      .client()
      .publishEvent(TYPE, { n: 1 }, { key: 'k' });
    await eventually(() => expect(seen).toEqual([1]));

    await harness.db.query(
      `UPDATE ${harness.schema.deliveries}
       SET leased_until = now() - interval '1 second'`,
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(seen).toEqual([1]);

    held.open();
    await eventually(async () => {
      const row = await harness.delivery(envelope.id, 'billing');
      expect(row).toMatchObject({ status: 'done', attempts: 1 });
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([1]);
  });
});
