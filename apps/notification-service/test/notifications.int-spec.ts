import { Patterns, type OrderConfirmed } from '@mq/contracts';
import { eventually } from '@mq/testing';
import { v7 as uuidv7 } from 'uuid';
import { NotificationServiceModule } from '../src/notification-service.module.js';
import {
  startServiceHarness,
  type ServiceHarness,
} from '@mq/service-runtime/testing';

let harness: ServiceHarness;

beforeAll(async () => {
  harness = await startServiceHarness(NotificationServiceModule, {
    prefix: 'notify_it',
    group: 'notification-service',
    schemas: ['notifications'],
  });
});

afterAll(async () => {
  await harness?.close();
});

const customer = { id: 'c-1', email: 'ada@example.com', name: 'Ada' };

function confirmed(orderId: string): OrderConfirmed {
  return {
    orderId,
    customer,
    paymentId: uuidv7(),
    total: 2800,
    currency: 'EUR',
    confirmedAt: new Date().toISOString(),
  };
}

async function done(messageId: string): Promise<void> {
  await eventually(async () => {
    expect((await harness.delivery(messageId))?.status).toBe('done');
  });
}

async function notificationsOf(orderId: string) {
  const response = await fetch(
    `${harness.running.url}/notifications?orderId=${orderId}`,
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    notifications: Record<string, unknown>[];
  };
  return body.notifications;
}

describe('final order events', () => {
  it('record one notification per order, whatever arrives again', async () => {
    const orderId = uuidv7();
    const client = harness.transport.client;
    const first = await client.publishEvent(
      Patterns.orderConfirmed,
      confirmed(orderId),
      { key: orderId },
    );
    await done(first.id);
    await harness.redeliver(first.id);
    const second = await client.publishEvent(
      Patterns.orderCancelled,
      {
        orderId,
        customer,
        reason: 'contradicting result',
        cancelledAt: new Date().toISOString(),
      },
      { key: orderId },
    );
    await done(second.id);
    await eventually(async () => {
      expect(await harness.delivery(first.id)).toMatchObject({
        status: 'done',
        attempts: 2,
      });
    });

    const notifications = await notificationsOf(orderId);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      orderId,
      kind: Patterns.orderConfirmed,
      channel: 'email',
      recipient: customer.email,
      messageId: first.id,
    });
  });

  it('notify cancelled orders with the reason', async () => {
    const orderId = uuidv7();
    const envelope = await harness.transport.client.publishEvent(
      Patterns.orderCancelled,
      {
        orderId,
        customer,
        reason: 'card declined',
        cancelledAt: new Date().toISOString(),
      },
      { key: orderId },
    );
    await done(envelope.id);

    const [notification] = await notificationsOf(orderId);
    expect(notification).toMatchObject({ kind: Patterns.orderCancelled });
    expect(String(notification?.body)).toContain('card declined');
  });
});

describe('GET /notifications/count', () => {
  it('counts notifications per kind', async () => {
    const response = await fetch(`${harness.running.url}/notifications/count`);

    expect(response.status).toBe(200);
    const { rows } = await harness.db.query<{ n: number }>(
      `SELECT count(*)::int AS n
         FROM ${harness.table('notifications', 'notifications')}`,
    );
    const body = (await response.json()) as {
      count: number;
      byKind: Record<string, number>;
    };
    expect(body.count).toBe(rows[0]?.n);
    expect(Object.keys(body.byKind).sort()).toEqual([
      Patterns.orderCancelled,
      Patterns.orderConfirmed,
    ]);
  });
});
