import { Patterns, type OrderCreated } from '@mq/contracts';
import { eventually } from '@mq/testing';
import { v7 as uuidv7 } from 'uuid';
import { PaymentServiceModule } from '../src/payment-service.module.js';
import {
  startServiceHarness,
  type ServiceHarness,
} from '@mq/service-runtime/testing';

let harness: ServiceHarness;

beforeAll(async () => {
  harness = await startServiceHarness(PaymentServiceModule, {
    prefix: 'payments_it',
    group: 'payment-service',
    schemas: ['payments'],
    // Every order's first charge attempt fails, its second goes through.
    env: {
      PAYMENT_TRANSIENT_FAILURE_RATE: '1',
      PAYMENT_TRANSIENT_MAX_FAILURES: '1',
    },
  });
});

afterAll(async () => {
  await harness?.close();
});

function orderCreated(overrides: Partial<OrderCreated> = {}): OrderCreated {
  return {
    orderId: uuidv7(),
    customer: { id: 'c-1', email: 'ada@example.com', name: 'Ada' },
    items: [{ sku: 'BOOK-1', quantity: 2, unitPrice: 1250 }],
    currency: 'EUR',
    total: 2500,
    placedAt: new Date().toISOString(),
    ...overrides,
  };
}

function publish(order: OrderCreated) {
  return harness.transport.client.publishEvent(Patterns.orderCreated, order, {
    key: order.orderId,
  });
}

async function rowsOf(table: string, orderColumn: string, orderId: string) {
  const { rows } = await harness.db.query<Record<string, unknown>>(
    `SELECT * FROM ${harness.table('payments', table)}
      WHERE ${orderColumn} = $1`,
    [orderId],
  );
  return rows;
}

const paymentsOf = (orderId: string) => rowsOf('payments', 'order_id', orderId);
const outboxOf = (orderId: string) => rowsOf('outbox_messages', 'key', orderId);

async function settled(messageId: string, attempts: number): Promise<void> {
  await eventually(async () => {
    expect(await harness.delivery(messageId)).toMatchObject({
      status: 'done',
      attempts,
    });
  });
}

describe('order.created', () => {
  it('handled twice gives one payment and one result', async () => {
    const order = orderCreated();
    const first = await publish(order);
    await settled(first.id, 2);

    await harness.redeliver(first.id);
    await settled(first.id, 3);
    // Found paid before the gateway is asked, so no transient failure.
    const second = await publish(order);
    await settled(second.id, 1);

    const payments = await paymentsOf(order.orderId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      status: 'SUCCEEDED',
      amount: '2500',
      attempts: 2,
      message_id: first.id,
    });
    const results = await outboxOf(order.orderId);
    expect(results.map((r) => r.type)).toEqual([Patterns.paymentSucceeded]);
  });

  it('retries a transient gateway failure until the charge goes through', async () => {
    const order = orderCreated();
    const envelope = await publish(order);

    await settled(envelope.id, 2);

    const [payment] = await paymentsOf(order.orderId);
    expect(payment).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    const stats = (await (
      await fetch(`${harness.running.url}/payments/stats`)
    ).json()) as { retried: number; transientFailures: number };
    expect(stats.retried).toBeGreaterThanOrEqual(1);
    expect(stats.transientFailures).toBeGreaterThanOrEqual(1);
  });

  it('declines by the documented rule and emits payment.failed', async () => {
    const order = orderCreated({
      customer: { id: 'c-2', email: 'decline+1@example.com', name: 'Bob' },
    });
    const envelope = await publish(order);
    await settled(envelope.id, 2);

    const [payment] = await paymentsOf(order.orderId);
    expect(payment).toMatchObject({
      status: 'DECLINED',
      decline_reason: 'card declined',
    });
    const [result] = await outboxOf(order.orderId);
    expect(result?.type).toBe(Patterns.paymentFailed);
    expect(JSON.parse(String(result?.payload))).toMatchObject({
      orderId: order.orderId,
      reason: 'card declined',
    });
  });

  it('dead-letters an invalid order at once and charges nothing', async () => {
    const order = orderCreated({ total: 1 });
    const envelope = await publish(order);

    await eventually(async () => {
      expect(await harness.delivery(envelope.id)).toMatchObject({
        status: 'dead',
        attempts: 1,
      });
    });
    expect((await harness.delivery(envelope.id))?.lastError).toContain('total');
    expect(await paymentsOf(order.orderId)).toHaveLength(0);
  });
});

describe('GET /payments', () => {
  it('finds the payment of an order', async () => {
    const order = orderCreated();
    const envelope = await publish(order);
    await settled(envelope.id, 2);

    const response = await fetch(
      `${harness.running.url}/payments?orderId=${order.orderId}`,
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      payments: [{ orderId: order.orderId, status: 'SUCCEEDED', amount: 2500 }],
    });
  });

  it('answers 400 for an orderId that is not a UUID', async () => {
    const response = await fetch(`${harness.running.url}/payments?orderId=x`);

    expect(response.status).toBe(400);
  });
});
