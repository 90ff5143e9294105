import { OrderCreated, Patterns } from '@mq/contracts';
import { MessageValidationPipe } from '@mq/core';
import { eventually } from '@mq/testing';
import { OrderServiceModule } from '../src/order-service.module.js';
import {
  startServiceHarness,
  type ServiceHarness,
} from '@mq/service-runtime/testing';

const validBody = {
  customer: { id: 'c-1', email: 'ada@example.com', name: 'Ada' },
  items: [
    { sku: 'BOOK-1', quantity: 2, unitPrice: 1250 },
    { sku: 'PEN-7', quantity: 1, unitPrice: 300 },
  ],
  currency: 'EUR',
};

let harness: ServiceHarness;

beforeAll(async () => {
  harness = await startServiceHarness(OrderServiceModule, {
    prefix: 'orders_it',
    group: 'order-service',
    schemas: ['orders'],
  });
});

afterAll(async () => {
  await harness?.close();
});

function post(body: unknown): Promise<Response> {
  return fetch(`${harness.running.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function count(table: string, where = 'true', params: unknown[] = []) {
  const { rows } = await harness.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${harness.table('orders', table)} ` +
      `WHERE ${where}`,
    params,
  );
  return rows[0]?.n ?? 0;
}

async function placeOrder(): Promise<{ id: string; total: number }> {
  const response = await post(validBody);
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; total: number };
}

async function orderOf(id: string) {
  const response = await fetch(`${harness.running.url}/orders/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    status: string;
    finalizedAt: string | null;
    paymentId: string | null;
  };
}

describe('POST /orders', () => {
  it('answers 400 with nested field paths and stores nothing', async () => {
    const before = [await count('orders'), await count('outbox_messages')];

    const response = await post({
      ...validBody,
      customer: { ...validBody.customer, email: 'not-an-email' },
      items: [{ sku: 'BOOK-1', quantity: 0, unitPrice: 1250 }],
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      statusCode: 400,
      message: 'Validation failed',
      errors: [
        { path: 'customer.email', constraints: ['email must be an email'] },
        {
          path: 'items[0].quantity',
          constraints: ['quantity must not be less than 1'],
        },
      ],
    });
    expect([await count('orders'), await count('outbox_messages')]).toEqual(
      before,
    );
  });

  it('rejects a total sent by the client: the server computes it', async () => {
    const response = await post({ ...validBody, total: 1 });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(['total']);
  });

  // Each of these used to pass validation and fail in the database: 500.
  it('answers 400, not 500, to arrays for objects and to NUL characters', async () => {
    const before = [await count('orders'), await count('outbox_messages')];
    const bodies = [
      { ...validBody, customer: [validBody.customer] },
      { ...validBody, items: [[validBody.items[0]]] },
      { ...validBody, customer: { ...validBody.customer, name: 'A\u0000' } },
      { ...validBody, items: [{ sku: '\u0000', quantity: 1, unitPrice: 1 }] },
      { ...validBody, items: [{ sku: '\ud800', quantity: 1, unitPrice: 1 }] },
    ];

    const answers = [];
    for (const body of bodies) {
      const response = await post(body);
      const { errors } = (await response.json()) as {
        errors?: { path: string }[];
      };
      answers.push([response.status, errors?.map((e) => e.path)]);
    }

    expect(answers).toEqual([
      [400, ['customer']],
      [400, ['items']],
      [400, ['customer.name']],
      [400, ['items[0].sku']],
      [400, ['items[0].sku']],
    ]);
    expect([await count('orders'), await count('outbox_messages')]).toEqual(
      before,
    );
  });

  it('stores a PENDING order and one order.created keyed by its id', async () => {
    const response = await post(validBody);

    expect(response.status).toBe(201);
    const order = (await response.json()) as Record<string, unknown>;
    expect(order).toMatchObject({
      status: 'PENDING',
      total: 2800,
      currency: 'EUR',
      customer: validBody.customer,
      finalizedAt: null,
    });
    const id = order.id as string;
    expect(
      await count('orders', 'id = $1 AND status = $2', [id, 'PENDING']),
    ).toBe(1);

    const { rows } = await harness.db.query<{ type: string; payload: string }>(
      `SELECT type, payload FROM ${harness.table('orders', 'outbox_messages')}
        WHERE key = $1`,
      [id],
    );
    expect(rows.map((r) => r.type)).toEqual([Patterns.orderCreated]);
    const payload: unknown = JSON.parse(rows[0]?.payload ?? 'null');
    const event = (await new MessageValidationPipe().transform(payload, {
      type: 'custom',
      metatype: OrderCreated,
    })) as OrderCreated;
    expect(event).toMatchObject({ orderId: id, total: 2800, currency: 'EUR' });
  });

  // Found by placing orders before payment-service had ever started in a
  // namespace: their order.created got no delivery for it, so they stayed
  // PENDING forever, with no dead letter or other record.
  it('keeps every saga event for its consumers, started or not', async () => {
    const order = await placeOrder();
    const mq = `"${harness.namespace}_mq"`;

    const groups = await eventually(async () => {
      const { rows } = await harness.db.query<{ group: string }>(
        `SELECT d.consumer_group AS group
           FROM ${mq}.deliveries d JOIN ${mq}.messages m ON m.id = d.message_id
          WHERE m.key = $1 AND m.type = $2`,
        [order.id, Patterns.orderCreated],
      );
      expect(rows).toHaveLength(1);
      return rows.map((row) => row.group);
    });
    expect(groups).toEqual(['payment-service']);
    const { rows } = await harness.db.query<{ group: string; pattern: string }>(
      `SELECT consumer_group AS group, pattern FROM ${mq}.subscriptions
        WHERE consumer_group <> 'order-service' ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { group: 'notification-service', pattern: Patterns.orderCancelled },
      { group: 'notification-service', pattern: Patterns.orderConfirmed },
      { group: 'payment-service', pattern: Patterns.orderCreated },
    ]);
  });

  it('stores no order when its outbox row cannot be written', async () => {
    const outbox = harness.table('orders', 'outbox_messages');
    const trigger = `"${harness.namespace}_fail_outbox"`;
    await harness.db.query(
      `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS
         $$ BEGIN RAISE EXCEPTION 'outbox unavailable (test)'; END $$`,
    );
    await harness.db.query(
      `CREATE TRIGGER fail_outbox BEFORE INSERT ON ${outbox}
         FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
    );
    const before = await count('orders');
    try {
      const response = await post(validBody);

      expect(response.status).toBe(500);
      expect(await count('orders')).toBe(before);
    } finally {
      await harness.db.query(`DROP TRIGGER fail_outbox ON ${outbox}`);
      await harness.db.query(`DROP FUNCTION ${trigger}()`);
    }
  });
});

describe('GET /orders/:id', () => {
  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    const unknown = await fetch(
      `${harness.running.url}/orders/0190f1c2-7b7e-7c3a-9a51-4f6f2b9d3e10`,
    );
    const malformed = await fetch(`${harness.running.url}/orders/42`);

    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
  });
});

describe('payment results', () => {
  it('confirm the order once, however often the result is delivered', async () => {
    const order = await placeOrder();
    const envelope = await harness.transport.client.publishEvent(
      Patterns.paymentSucceeded,
      {
        orderId: order.id,
        paymentId: '0190f1c2-8000-7000-8000-000000000001',
        amount: order.total,
        currency: 'EUR',
        chargedAt: new Date().toISOString(),
      },
      { key: order.id },
    );
    const confirmed = await eventually(async () => {
      const current = await orderOf(order.id);
      expect(current.status).toBe('CONFIRMED');
      return current;
    });

    await harness.redeliver(envelope.id);
    await eventually(async () => {
      expect(await harness.delivery(envelope.id)).toMatchObject({
        status: 'done',
        attempts: 2,
      });
    });

    expect(await orderOf(order.id)).toEqual(confirmed);
    expect(
      await count('outbox_messages', 'key = $1 AND type = $2', [
        order.id,
        Patterns.orderConfirmed,
      ]),
    ).toBe(1);
    expect(
      await count('inbox_messages', 'message_id = $1', [envelope.id]),
    ).toBe(1);
  });

  it('never move a CONFIRMED order back on a late payment.failed', async () => {
    const order = await placeOrder();
    const client = harness.transport.client;
    await client.publishEvent(
      Patterns.paymentSucceeded,
      {
        orderId: order.id,
        paymentId: '0190f1c2-8000-7000-8000-000000000002',
        amount: order.total,
        currency: 'EUR',
        chargedAt: new Date().toISOString(),
      },
      { key: order.id },
    );
    await eventually(async () => {
      expect((await orderOf(order.id)).status).toBe('CONFIRMED');
    });

    const late = await client.publishEvent(
      Patterns.paymentFailed,
      {
        orderId: order.id,
        reason: 'card declined',
        declinedAt: new Date().toISOString(),
      },
      { key: order.id },
    );
    await eventually(async () => {
      expect((await harness.delivery(late.id))?.status).toBe('done');
    });

    expect((await orderOf(order.id)).status).toBe('CONFIRMED');
    expect(
      await count('outbox_messages', 'key = $1 AND type = $2', [
        order.id,
        Patterns.orderCancelled,
      ]),
    ).toBe(0);
  });

  it('cancel a PENDING order on payment.failed, with its reason', async () => {
    const order = await placeOrder();
    await harness.transport.client.publishEvent(
      Patterns.paymentFailed,
      {
        orderId: order.id,
        reason: 'card declined',
        declinedAt: new Date().toISOString(),
      },
      { key: order.id },
    );

    await eventually(async () => {
      expect(await orderOf(order.id)).toMatchObject({
        status: 'CANCELLED',
        cancelReason: 'card declined',
      });
    });
    expect(
      await count('outbox_messages', 'key = $1 AND type = $2', [
        order.id,
        Patterns.orderCancelled,
      ]),
    ).toBe(1);
  });

  it('dead-letter an invalid result at once, naming the field', async () => {
    const order = await placeOrder();
    const envelope = await harness.transport.client.publishEvent(
      Patterns.paymentSucceeded,
      {
        orderId: order.id,
        paymentId: '0190f1c2-8000-7000-8000-000000000003',
        amount: -1,
        currency: 'EUR',
        chargedAt: new Date().toISOString(),
      },
      { key: order.id },
    );

    const delivery = await eventually(async () => {
      const row = await harness.delivery(envelope.id);
      expect(row?.status).toBe('dead');
      return row;
    });
    expect(delivery?.attempts).toBe(1);
    expect(delivery?.lastError).toContain('amount');
    expect((await orderOf(order.id)).status).toBe('PENDING');
  });
});

describe('/dead-letters', () => {
  it('lists, shows and redrives a dead letter of this service', async () => {
    const order = await placeOrder();
    const envelope = await harness.transport.client.publishEvent(
      Patterns.paymentFailed,
      { orderId: order.id, reason: '', declinedAt: 'yesterday' },
      { key: order.id },
    );
    await eventually(async () => {
      expect((await harness.delivery(envelope.id))?.status).toBe('dead');
    });
    const base = `${harness.running.url}/dead-letters`;

    const listed = (await (await fetch(base)).json()) as {
      count: number;
      deadLetters: { id: string; messageId?: string; metadata: unknown }[];
    };
    const letter = listed.deadLetters.find((d) => d.messageId === envelope.id);
    expect(letter?.metadata).toMatchObject({
      consumerGroup: 'order-service',
      attempts: 1,
      errorName: 'PayloadValidationError',
    });
    expect(listed.count).toBeGreaterThanOrEqual(1);

    const shown = await fetch(`${base}/${encodeURIComponent(letter!.id)}`);
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as { body: string }).body).toContain(
      'yesterday',
    );

    const redrive = await fetch(
      `${base}/${encodeURIComponent(letter!.id)}/redrive`,
      { method: 'POST' },
    );
    expect(redrive.status).toBe(200);
    // Still invalid: it comes back to the dead letters after one attempt.
    await eventually(async () => {
      expect(await harness.delivery(envelope.id)).toMatchObject({
        status: 'dead',
        attempts: 1,
      });
      const again = (await (await fetch(base)).json()) as {
        deadLetters: { messageId?: string }[];
      };
      expect(again.deadLetters.map((d) => d.messageId)).toContain(envelope.id);
    });
  });

  it('answers 404 for a dead letter that does not exist', async () => {
    const unknown = '0190f1c2-7b7e-7c3a-9a51-4f6f2b9d3e10';
    const base = `${harness.running.url}/dead-letters/${unknown}`;

    expect((await fetch(base)).status).toBe(404);
    expect((await fetch(`${base}/redrive`, { method: 'POST' })).status).toBe(
      404,
    );
  });
});

describe('GET /orders/stats and /health', () => {
  it('counts orders per status and measures finalized ones', async () => {
    const response = await fetch(`${harness.running.url}/orders/stats`);

    expect(response.status).toBe(200);
    const stats = (await response.json()) as {
      total: number;
      byStatus: Record<string, number>;
      latencyMs: { count: number; p50: number | null };
    };
    expect(stats.total).toBe(await count('orders'));
    expect(stats.byStatus.CONFIRMED).toBe(
      await count('orders', "status = 'CONFIRMED'"),
    );
    expect(stats.latencyMs.count).toBe(
      await count('orders', 'finalized_at IS NOT NULL'),
    );
    expect(stats.latencyMs.p50).toBeGreaterThanOrEqual(0);
  });

  it('reports every dependency up', async () => {
    const response = await fetch(`${harness.running.url}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'up',
      service: 'order-service',
      transport: 'postgres',
      checks: {
        database: { status: 'up' },
        server: { status: 'up' },
        client: { status: 'up' },
        outbox: { status: 'up' },
      },
    });
  });
});
