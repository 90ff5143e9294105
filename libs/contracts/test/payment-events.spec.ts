import { PaymentFailed, PaymentSucceeded } from '@mq/contracts';
import { failingPaths } from './violations.js';

const succeeded = {
  orderId: '0190f1c2-7b7e-7c3a-9a51-4f6f2b9d3e10',
  paymentId: '0190f1c2-8000-7000-8000-000000000001',
  amount: 2800,
  currency: 'EUR',
  chargedAt: '2025-01-31T12:00:01.000Z',
};

const failed = {
  orderId: '0190f1c2-7b7e-7c3a-9a51-4f6f2b9d3e10',
  reason: 'card declined',
  declinedAt: '2025-01-31T12:00:01.000Z',
};

describe('PaymentSucceeded', () => {
  it('accepts a valid result', async () => {
    expect(await failingPaths(PaymentSucceeded, succeeded)).toEqual([]);
  });

  it('requires an integer, non-negative amount', async () => {
    for (const amount of [-1, 10.5, '2800']) {
      expect(
        await failingPaths(PaymentSucceeded, { ...succeeded, amount }),
      ).toEqual(['amount']);
    }
  });

  it('requires ids, currency and time', async () => {
    expect(await failingPaths(PaymentSucceeded, {})).toEqual([
      'amount',
      'chargedAt',
      'currency',
      'orderId',
      'paymentId',
    ]);
  });
});

describe('PaymentFailed', () => {
  it('accepts a valid result', async () => {
    expect(await failingPaths(PaymentFailed, failed)).toEqual([]);
  });

  it('requires a non-empty reason', async () => {
    expect(
      await failingPaths(PaymentFailed, { ...failed, reason: '' }),
    ).toEqual(['reason']);
  });

  it('rejects a reason longer than 500 characters', async () => {
    const reason = 'x'.repeat(501);

    expect(await failingPaths(PaymentFailed, { ...failed, reason })).toEqual([
      'reason',
    ]);
  });
});
