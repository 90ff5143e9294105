import { OrderCancelled, OrderConfirmed } from '@mq/contracts';
import { failingPaths } from './violations.js';

const customer = { id: 'c-42', email: 'ada@example.com', name: 'Ada' };

const confirmed = {
  orderId: '0190f1c2-7b7e-7c3a-9a51-4f6f2b9d3e10',
  customer,
  paymentId: '0190f1c2-8000-7000-8000-000000000001',
  total: 2800,
  currency: 'EUR',
  confirmedAt: '2025-01-31T12:00:02.000Z',
};

const cancelled = {
  orderId: '0190f1c2-7b7e-7c3a-9a51-4f6f2b9d3e10',
  customer,
  reason: 'card declined',
  cancelledAt: '2025-01-31T12:00:02.000Z',
};

describe('OrderConfirmed', () => {
  it('accepts a valid event', async () => {
    expect(await failingPaths(OrderConfirmed, confirmed)).toEqual([]);
  });

  it('validates the nested customer', async () => {
    const event = { ...confirmed, customer: { ...customer, email: 'x' } };

    expect(await failingPaths(OrderConfirmed, event)).toEqual([
      'customer.email',
    ]);
  });
});

describe('OrderCancelled', () => {
  it('accepts a valid event', async () => {
    expect(await failingPaths(OrderCancelled, cancelled)).toEqual([]);
  });

  it('requires a reason', async () => {
    const { reason: _reason, ...withoutReason } = cancelled;

    expect(await failingPaths(OrderCancelled, withoutReason)).toEqual([
      'reason',
    ]);
  });
});
