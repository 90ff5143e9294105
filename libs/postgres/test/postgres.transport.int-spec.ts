import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createEnvelope,
  HeaderNames,
  MessageContext,
  MessageTooLargeError,
  NonRetriableError,
  ReliableMessagingModule,
} from '@mq/core';
import { uniqueName } from '@mq/testing';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { PostgresServer } from '../src/postgres.server.js';
import { publishEnvelopesWith } from '../src/publish/publish-envelopes-with.js';
import { registerSubscriptions } from '../src/schema/register-subscriptions.js';
import { runMigrations } from '../src/schema/run-migrations.js';
import { eventually, gate, QueueHarness } from './support/queue-harness.js';

const TYPE = 'order.created';

let harness: QueueHarness;

beforeEach(async () => {
  harness = new QueueHarness(uniqueName('pgq'));
  await harness.setup();
});

afterEach(async () => {
  await harness.teardown();
});

/** A handler that notes which message ids it handled. */
function recordInto(into: string[]) {
  return async (_: unknown, ctx: MessageContext): Promise<void> => {
    into.push(ctx.getEnvelope().id);
    await sleep(5);
  };
}

const seenByController: Array<{ payload: unknown; ctx: MessageContext }> = [];

@Controller()
class OrderEventsController {
  // The explicit <string> picks Nest's untyped overload; the typed one
  // types every argument after the payload as unknown, refusing @Ctx().
  @EventPattern<string>(TYPE)
  created(@Payload() payload: unknown, @Ctx() ctx: MessageContext): void {
    seenByController.push({ payload, ctx });
  }
}

describe('PostgresServer and PostgresClient', () => {
  it('delivers a published message to its Nest handler and marks it done', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ReliableMessagingModule],
      controllers: [OrderEventsController],
    }).compile();
    const app = moduleRef.createNestMicroservice({
      strategy: new PostgresServer({
        connection: harness.url,
        schema: harness.schema.name,
        consumerGroup: 'billing',
      }),
      logger: ['error', 'warn'],
    });
    harness.onTeardown(() => app.close());
    await app.listen();

    const client = harness.client();
    const envelope = await client.publishEvent(
      TYPE,
      { orderId: 'o-1', total: 42 },
      { key: 'o-1' },
    );

    const [seen] = await eventually(() => {
      expect(seenByController).toHaveLength(1);
      return seenByController;
    });
    expect(seen.payload).toEqual({ orderId: 'o-1', total: 42 });
    expect(seen.ctx.getEnvelope().id).toBe(envelope.id);
    expect(seen.ctx.getDelivery()).toEqual({
      destination: TYPE,
      consumerGroup: 'billing',
      attempt: 1,
    });
    const row = await eventually(async () => {
      const found = await harness.delivery(envelope.id, 'billing');
      expect(found?.status).toBe('done');
      return found;
    });
    expect(row).toMatchObject({ attempts: 1, leased_by: null });
  });

  it('fans out to every group and lets the servers of one group compete', async () => {
    const billing = { a: [] as string[], b: [] as string[] };
    const audit: string[] = [];
    await harness.startServer(
      { consumerGroup: 'billing', concurrency: 2 },
      { [TYPE]: recordInto(billing.a) },
    );
    await harness.startServer(
      { consumerGroup: 'billing', concurrency: 2 },
      { [TYPE]: recordInto(billing.b) },
    );
    await harness.startServer(
      { consumerGroup: 'audit' },
      { [TYPE]: recordInto(audit) },
    );

    const envelopes = Array.from({ length: 30 }, (_, i) =>
      createEnvelope(TYPE, { i }, { key: `order-${i}` }),
    );
    await harness.client().publishEnvelopes(envelopes);

    const ids = envelopes.map((envelope) => envelope.id).sort();
    await eventually(() => {
      expect([...billing.a, ...billing.b].sort()).toEqual(ids);
      expect([...audit].sort()).toEqual(ids);
    });
    expect(billing.a.length).toBeGreaterThan(0);
    expect(billing.b.length).toBeGreaterThan(0);
    await eventually(async () => {
      const done = await harness.count(
        `${harness.schema.deliveries} WHERE status = 'done'`,
      );
      expect(done).toBe(60);
    });
  });

  it('never claims more deliveries than it has free handler slots', async () => {
    const held = gate();
    let running = 0;
    await harness.startServer(
      { consumerGroup: 'billing', concurrency: 2, batchSize: 10 },
      {
        [TYPE]: async () => {
          running += 1;
          await held.promise;
        },
      },
    );
    const envelopes = Array.from({ length: 6 }, (_, i) =>
      createEnvelope(TYPE, { i }, { key: `order-${i}` }),
    );
    await harness.client().publishEnvelopes(envelopes);

    await eventually(() => expect(running).toBe(2));
    await sleep(300);
    const leased = await harness.count(
      `${harness.schema.deliveries} WHERE leased_by IS NOT NULL`,
    );
    expect(leased).toBe(2);
    expect(running).toBe(2);
    held.open();
    await eventually(() => expect(running).toBe(6));
  });

  it('retries with available_at moved forward, then succeeds', async () => {
    const attempts: Array<{ attempt: number; at: number }> = [];
    await harness.startServer(
      {
        consumerGroup: 'billing',
        retry: { maxAttempts: 3, initialDelayMs: 300, jitter: 0 },
      },
      {
        [TYPE]: (_: unknown, ctx: MessageContext) => {
          attempts.push({ attempt: ctx.getAttempt(), at: Date.now() });
          if (ctx.getAttempt() === 1) {
            throw new Error('gateway timeout');
          }
        },
      },
    );
    const envelope = await harness
      .client()
      .publishEvent(TYPE, { orderId: 'o-1' }, { key: 'o-1' });

    const row = await eventually(async () => {
      const found = await harness.delivery(envelope.id, 'billing');
      expect(found?.status).toBe('done');
      return found!;
    });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(250);
    expect(row.attempts).toBe(2);
    expect(row.last_error_name).toBe('Error');
    expect(row.last_error_message).toBe('gateway timeout');
    expect(row.first_failed_at).not.toBeNull();
    const movedBy = row.available_at.getTime() - row.last_failed_at!.getTime();
    expect(movedBy).toBeGreaterThanOrEqual(299);
  });

  it('dead-letters after the last attempt, with the metadata', async () => {
    let calls = 0;
    const server = await harness.startServer(
      { consumerGroup: 'billing', retry: { maxAttempts: 3 } },
      {
        [TYPE]: () => {
          calls += 1;
          throw new Error('card processor down');
        },
      },
    );
    const envelope = await harness
      .client()
      .publishEvent(TYPE, { orderId: 'o-9' }, { key: 'o-9' });

    const store = server.deadLetters();
    const [dead] = await eventually(async () => {
      const list = await store.list();
      expect(list).toHaveLength(1);
      return list;
    });
    expect(calls).toBe(3);
    expect(dead).toMatchObject({
      id: envelope.id,
      messageId: envelope.id,
      type: TYPE,
      key: 'o-9',
      body: '{"orderId":"o-9"}',
      metadata: {
        originalDestination: TYPE,
        consumerGroup: 'billing',
        attempts: 3,
        errorName: 'Error',
        errorMessage: 'card processor down',
      },
    });
    const { firstFailedAt, lastFailedAt } = dead.metadata;
    expect(Date.parse(firstFailedAt)).toBeLessThan(Date.parse(lastFailedAt));
    expect(await store.count()).toBe(1);
    expect(await store.show(envelope.id)).toEqual(dead);
    expect(await store.list({ destination: 'other.type' })).toEqual([]);
    const row = await harness.delivery(envelope.id, 'billing');
    expect(row).toMatchObject({ status: 'dead', attempts: 3, leased_by: null });
  });

  it('dead-letters a body that is not JSON and a type with no handler at once, and goes on', async () => {
    const handled: unknown[] = [];
    const server = await harness.startServer(
      { consumerGroup: 'billing' },
      { [TYPE]: (payload: unknown) => void handled.push(payload) },
    );
    const garbledId = randomUUID();
    const strayId = randomUUID();
    await harness.kit.publishRaw(
      TYPE,
      {
        [HeaderNames.id]: garbledId,
        [HeaderNames.type]: TYPE,
        [HeaderNames.key]: 'o-1',
      },
      Buffer.from([0xff, 0x00, 0x7b, 0xfe]),
    );
    await harness.kit.publishRaw(
      TYPE,
      {
        [HeaderNames.id]: strayId,
        [HeaderNames.type]: 'order.unheard-of',
        [HeaderNames.key]: 'o-2',
      },
      Buffer.from('{}'),
    );
    await harness.client().publishEvent(TYPE, { n: 3 }, { key: 'o-3' });

    await eventually(() => expect(handled).toEqual([{ n: 3 }]));
    const store = server.deadLetters();
    const dead = await eventually(async () => {
      const list = await store.list();
      expect(list).toHaveLength(2);
      return list;
    });
    const byId = new Map(dead.map((letter) => [letter.id, letter.metadata]));
    expect(byId.get(garbledId)).toMatchObject({
      attempts: 1,
      errorName: 'MalformedMessageError',
    });
    expect(byId.get(strayId)).toMatchObject({
      attempts: 1,
      errorName: 'NoHandlerError',
    });
  });

  it('keeps same-key order with concurrency > 1, even across a retry', async () => {
    const keys = ['a', 'b', 'c'];
    const handled = new Map<string, number[]>(keys.map((key) => [key, []]));
    let running = 0;
    let mostAtOnce = 0;
    let failedOnce = false;
    await harness.startServer(
      { consumerGroup: 'billing', concurrency: 8 },
      {
        [TYPE]: async (payload: unknown, ctx: MessageContext) => {
          const { seq } = payload as { seq: number };
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          try {
            await sleep(Math.random() * 5);
            if (ctx.getEnvelope().key === 'a' && seq === 2 && !failedOnce) {
              failedOnce = true;
              throw new Error('transient');
            }
            handled.get(ctx.getEnvelope().key)!.push(seq);
          } finally {
            running -= 1;
          }
        },
      },
    );
    const envelopes = Array.from({ length: 8 }, (_, seq) =>
      keys.map((key) => createEnvelope(TYPE, { seq }, { key })),
    ).flat();
    await harness.client().publishEnvelopes(envelopes);

    const expected = [0, 1, 2, 3, 4, 5, 6, 7];
    await eventually(() => {
      for (const key of keys) {
        expect(handled.get(key)).toEqual(expected);
      }
    });
    expect(failedOnce).toBe(true);
    expect(mostAtOnce).toBeGreaterThan(1);
  });

  it('catches up after its LISTEN connection is cut, without waiting for the poll', async () => {
    const handled: number[] = [];
    const server = await harness.startServer(
      { consumerGroup: 'billing', pollIntervalMs: 60_000 },
      {
        [TYPE]: (payload: unknown) =>
          void handled.push((payload as { n: number }).n),
      },
    );
    const client = harness.client();
    await client.publishEvent(TYPE, { n: 1 }, { key: 'k1' });
    await eventually(() => expect(handled).toEqual([1]));
    expect(server.health().status).toBe('up');

    await harness.kit.dropServerConnections(server);
    await eventually(
      () => expect(server.health().status).toBe('down'),
      3000,
      2,
    );
    const publishedAt = Date.now();
    await client.publishEvent(TYPE, { n: 2 }, { key: 'k2' });

    await eventually(() => expect(handled).toEqual([1, 2]), 10_000);
    expect(Date.now() - publishedAt).toBeLessThan(10_000);
    await eventually(() => expect(server.health().status).toBe('up'));
  });

  it('survives failing claims, reports down meanwhile, and goes on', async () => {
    const handled: unknown[] = [];
    const server = await harness.startServer(
      { consumerGroup: 'billing', pollIntervalMs: 50 },
      { [TYPE]: (payload: unknown) => void handled.push(payload) },
    );
    const { deliveries } = harness.schema;
    await harness.db.query(`ALTER TABLE ${deliveries} RENAME TO away`);
    const health = await eventually(() => {
      const current = server.health();
      expect(current.status).toBe('down');
      return current;
    });
    expect(health.detail).toMatch(/claiming failed/);

    await harness.db.query(
      `ALTER TABLE ${harness.schema.quoted}.away RENAME TO deliveries`,
    );
    await eventually(() => expect(server.health().status).toBe('up'));
    await harness.client().publishEvent(TYPE, { n: 1 }, { key: 'k' });
    await eventually(() => expect(handled).toEqual([{ n: 1 }]));
  });

  it('reclaims a delivery whose lease expired', async () => {
    await registerSubscriptions(harness.db, 'billing', [TYPE], {
      schema: harness.schema.name,
    });
    const envelope = await harness
      .client()
      .publishEvent(TYPE, { orderId: 'o-1' }, { key: 'o-1' });
    // A consumer that claimed it and died: its lease runs out on its own.
    await harness.db.query(
      `UPDATE ${harness.schema.deliveries}
       SET attempts = 1, leased_by = 'crashed-consumer',
           leased_until = now() + interval '800 milliseconds'`,
    );
    const leasedAt = Date.now();
    const seen: Array<{ attempt: number; at: number }> = [];
    await harness.startServer(
      { consumerGroup: 'billing', pollIntervalMs: 100 },
      {
        [TYPE]: (_: unknown, ctx: MessageContext) =>
          void seen.push({ attempt: ctx.getAttempt(), at: Date.now() }),
      },
    );

    await eventually(() => expect(seen).toHaveLength(1));
    expect(seen[0].attempt).toBe(2);
    expect(seen[0].at - leasedAt).toBeGreaterThanOrEqual(700);
    await eventually(async () => {
      const row = await harness.delivery(envelope.id, 'billing');
      expect(row).toMatchObject({ status: 'done', attempts: 2 });
    });
  });

  it('releases unfinished leases on close, so another server takes them at once', async () => {
    const held = gate();
    let started = false;
    const first = await harness.startServer(
      { consumerGroup: 'billing', shutdownTimeoutMs: 200 },
      {
        [TYPE]: async () => {
          started = true;
          await held.promise;
        },
      },
    );
    harness.onTeardown(async () => held.open());
    const envelope = await harness
      .client()
      .publishEvent(TYPE, { orderId: 'o-1' }, { key: 'o-1' });
    await eventually(() => expect(started).toBe(true));

    await first.close();
    const row = await harness.delivery(envelope.id, 'billing');
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      leased_by: null,
      leased_until: null,
    });

    const seen: number[] = [];
    const releasedAt = Date.now();
    await harness.startServer(
      { consumerGroup: 'billing', pollIntervalMs: 60_000 },
      {
        [TYPE]: (_: unknown, ctx: MessageContext) =>
          void seen.push(ctx.getAttempt()),
      },
    );
    await eventually(() => expect(seen).toEqual([2]));
    expect(Date.now() - releasedAt).toBeLessThan(2000);
    expect(first.health().status).toBe('down');
  });

  it('rejects a publish over the size limit and inserts nothing', async () => {
    const client = harness.kit.createClient({ maxMessageBytes: 64 });
    harness.onTeardown(() => client.close() as Promise<void>);
    const small = createEnvelope(TYPE, { n: 1 }, { key: 'k' });
    const big = createEnvelope(TYPE, { text: 'x'.repeat(100) }, { key: 'k' });

    await expect(client.publishEnvelopes([small, big])).rejects.toBeInstanceOf(
      MessageTooLargeError,
    );
    expect(await harness.count(harness.schema.messages)).toBe(0);
  });

  it('redrives a dead letter with a fresh attempt count, then purges', async () => {
    const seen: Array<{ id: string; attempt: number }> = [];
    const failing = new Set<string>();
    const server = await harness.startServer(
      { consumerGroup: 'billing' },
      {
        [TYPE]: (_: unknown, ctx: MessageContext) => {
          const { id } = ctx.getEnvelope();
          seen.push({ id, attempt: ctx.getAttempt() });
          if (failing.has(id)) {
            throw new NonRetriableError('order is locked');
          }
        },
      },
    );
    const client = harness.client();
    const store = client.deadLetters('billing');
    const envelopes = ['o-1', 'o-2', 'o-3'].map((key) =>
      createEnvelope(TYPE, { key }, { key }),
    );
    envelopes.forEach((envelope) => failing.add(envelope.id));
    await client.publishEnvelopes(envelopes);
    await eventually(async () => expect(await store.count()).toBe(3));

    const [first] = envelopes;
    failing.delete(first.id);
    expect(await store.redrive(first.id)).toBe(true);
    await eventually(async () => {
      const row = await harness.delivery(first.id, 'billing');
      expect(row).toMatchObject({
        status: 'done',
        attempts: 1,
        last_error_name: null,
        first_failed_at: null,
      });
    });
    expect(seen.filter((s) => s.id === first.id)).toEqual([
      { id: first.id, attempt: 1 },
      { id: first.id, attempt: 1 },
    ]);
    expect(await store.show(first.id)).toBeUndefined();
    expect(await store.redrive(first.id)).toBe(false);
    expect(await server.deadLetters().count()).toBe(2);

    expect(await store.purge()).toBe(2);
    expect(await store.count()).toBe(0);
    expect(await store.redriveAll()).toBe(0);
  });

  it('publishes inside the caller transaction: nothing on rollback, delivered on commit', async () => {
    const handled: unknown[] = [];
    await harness.startServer(
      { consumerGroup: 'billing' },
      { [TYPE]: (payload: unknown) => void handled.push(payload) },
    );
    const options = { schema: harness.schema.name };
    const connection = await harness.db.connect();
    try {
      await connection.query('BEGIN');
      await publishEnvelopesWith(
        connection,
        [createEnvelope(TYPE, { n: 'rolled back' }, { key: 'k' })],
        options,
      );
      await connection.query('ROLLBACK');
      await connection.query('BEGIN');
      await publishEnvelopesWith(
        connection,
        [createEnvelope(TYPE, { n: 'committed' }, { key: 'k' })],
        options,
      );
      await connection.query('COMMIT');
    } finally {
      connection.release();
    }

    await eventually(() => expect(handled).toEqual([{ n: 'committed' }]));
    expect(await harness.count(harness.schema.messages)).toBe(1);
  });

  it('ignores a message id published twice', async () => {
    const client = harness.client();
    const envelope = createEnvelope(TYPE, { n: 1 }, { key: 'k' });
    await client.publishEnvelopes([envelope]);
    await client.publishEnvelopes([envelope, envelope]);
    expect(await harness.count(harness.schema.messages)).toBe(1);
  });

  it('migrates once when several services start at the same moment', async () => {
    const fresh = uniqueName('pgq_race');
    const applied = await Promise.all(
      [1, 2, 3, 4].map(() => runMigrations(harness.db, { schema: fresh })),
    );
    try {
      expect(applied.filter((versions) => versions.length > 0)).toEqual([
        [1, 2],
      ]);
    } finally {
      await harness.db.query(`DROP SCHEMA "${fresh}" CASCADE`);
    }
  });
});
