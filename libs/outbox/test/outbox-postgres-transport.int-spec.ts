import { HeaderNames, MessageContext, ReliableMessagingModule } from '@mq/core';
import { InboxService, OutboxRelay, OutboxService } from '@mq/outbox';
import { PostgresClient, PostgresServer } from '@mq/postgres';
import { dropSchema, uniqueName, waitFor } from '@mq/testing';
import { Controller, Inject, type INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { EntityManager } from 'typeorm';
import {
  createOutboxDatabase,
  type OutboxDatabase,
} from './support/outbox-database.js';
import { FAST_RELAY } from './support/relay-harness.js';

const ORDER_CREATED = 'order.created';
const PAYMENT_SUCCEEDED = 'payment.succeeded';

interface Seen {
  readonly type: string;
  readonly id: string;
  readonly key: string;
  readonly attempt: number;
  readonly duplicate: boolean;
  readonly headers: Record<string, string>;
}

const seen: Seen[] = [];
const outbox = new OutboxService();
let db: OutboxDatabase;
let failFirstAttempt = false;

/**
 * A payment service in miniature: charges once per order.created through
 * the inbox and announces the payment through its own outbox.
 */
@Controller()
class PaymentsController {
  constructor(@Inject(InboxService) private readonly inbox: InboxService) {}

  @EventPattern<string>(ORDER_CREATED)
  async charge(
    @Payload() order: { orderId: string },
    @Ctx() ctx: MessageContext,
  ): Promise<void> {
    const { duplicate } = await this.inbox.runOnceForCurrentMessage(
      async (manager: EntityManager) => {
        await manager.query(
          `INSERT INTO ${db.table('charges')} (order_id) VALUES ($1)`,
          [order.orderId],
        );
        await outbox.add(manager, PAYMENT_SUCCEEDED, order, {
          key: order.orderId,
        });
      },
    );
    record(ORDER_CREATED, ctx, duplicate);
    if (failFirstAttempt && ctx.getAttempt() === 1) {
      // The work is committed, but the delivery fails: the transport
      // delivers again, as after a crash before the ack.
      throw new Error('lost the ack');
    }
  }

  @EventPattern<string>(PAYMENT_SUCCEEDED)
  paid(@Payload() _payment: unknown, @Ctx() ctx: MessageContext): void {
    record(PAYMENT_SUCCEEDED, ctx, false);
  }
}

function record(type: string, ctx: MessageContext, duplicate: boolean): void {
  const envelope = ctx.getEnvelope();
  seen.push({
    type,
    id: envelope.id,
    key: envelope.key,
    attempt: ctx.getAttempt(),
    duplicate,
    headers: { ...envelope.headers },
  });
}

async function charges(): Promise<string[]> {
  const rows: { order_id: string }[] = await db.dataSource.query(
    `SELECT order_id FROM ${db.table('charges')} ORDER BY order_id`,
  );
  return rows.map((row) => row.order_id);
}

function addOrders(orderIds: string[]) {
  return db.dataSource.transaction((manager) =>
    outbox.addMany(
      manager,
      orderIds.map((orderId) => ({
        type: ORDER_CREATED,
        payload: { orderId },
        key: orderId,
      })),
    ),
  );
}

describe('OutboxRelay through the Postgres transport', () => {
  const queueSchema = uniqueName('outbox_pgq');
  let client: PostgresClient;
  let relay: OutboxRelay;
  let app: INestMicroservice;

  beforeAll(async () => {
    db = await createOutboxDatabase('outbox_pgtransport');
    await db.dataSource.query(
      `CREATE TABLE ${db.table('charges')} (order_id text NOT NULL)`,
    );
    client = new PostgresClient({ connection: db.url, schema: queueSchema });
    const moduleRef = await Test.createTestingModule({
      imports: [ReliableMessagingModule],
      controllers: [PaymentsController],
      providers: [
        { provide: InboxService, useValue: new InboxService(db.dataSource) },
      ],
    }).compile();
    app = moduleRef.createNestMicroservice({
      strategy: new PostgresServer({
        connection: db.url,
        schema: queueSchema,
        consumerGroup: 'payments',
        pollIntervalMs: 100,
        retry: { maxAttempts: 3, initialDelayMs: 50, jitter: 0 },
      }),
      logger: ['error', 'warn'],
    });
    await app.listen();
    relay = new OutboxRelay(db.dataSource, client, FAST_RELAY);
    relay.start();
  });

  afterEach(() => {
    seen.length = 0;
    failFirstAttempt = false;
  });

  afterAll(async () => {
    await relay.stop();
    await app.close();
    await client.close();
    await db.close();
    await dropSchema(db.url, queueSchema);
  });

  it('carries an outbox row to the handler and the handler’s own outbox row on', async () => {
    const [order] = await addOrders(['o-1']);

    const payment = await waitFor('payment.succeeded', () =>
      seen.find((entry) => entry.type === PAYMENT_SUCCEEDED),
    );
    expect(await charges()).toEqual(['o-1']);
    expect(payment.key).toBe('o-1');
    expect(payment.headers[HeaderNames.correlationId]).toBe(order.id);
    expect(payment.headers[HeaderNames.causationId]).toBe(order.id);
    await waitFor('both outbox rows marked', async () => {
      const rows = await db.outboxRows();
      return rows.length === 2 && rows.every((row) => row.published_at);
    });
  });

  it('runs the work once when the transport delivers a handled message again', async () => {
    failFirstAttempt = true;
    const [order] = await addOrders(['o-2']);

    await waitFor('the redelivery', () =>
      seen.some((entry) => entry.id === order.id && entry.attempt === 2),
    );
    const deliveries = seen.filter((entry) => entry.id === order.id);
    expect(deliveries.map((entry) => [entry.attempt, entry.duplicate])).toEqual(
      [
        [1, false],
        [2, true],
      ],
    );
    expect((await charges()).filter((id) => id === 'o-2')).toEqual(['o-2']);
    await waitFor('one payment for o-2', () =>
      seen.some(
        (entry) => entry.type === PAYMENT_SUCCEEDED && entry.key === 'o-2',
      ),
    );
    expect(
      seen.filter((e) => e.type === PAYMENT_SUCCEEDED && e.key === 'o-2'),
    ).toHaveLength(1);
  });

  it('keeps the order of one key from outbox to handler', async () => {
    const ids = await db.dataSource.transaction((manager) =>
      outbox.addMany(
        manager,
        [1, 2, 3, 4, 5].map((n) => ({
          type: ORDER_CREATED,
          payload: { orderId: `o-3-${n}` },
          key: 'o-3',
        })),
      ),
    );

    await waitFor('all five', () =>
      ids.every((envelope) => seen.some((entry) => entry.id === envelope.id)),
    );
    expect(
      seen
        .filter((entry) => entry.type === ORDER_CREATED && entry.key === 'o-3')
        .map((entry) => entry.id),
    ).toEqual(ids.map((envelope) => envelope.id));
  });
});
