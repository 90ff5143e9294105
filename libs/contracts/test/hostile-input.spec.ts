import {
  CreateOrderRequest,
  OrderCancelled,
  OrderConfirmed,
  OrderCreated,
  PaymentFailed,
} from '@mq/contracts';
import { validOrderCreated } from './fixtures.js';
import { failingPaths, violationsOf } from './violations.js';

const customer = { id: 'c-42', email: 'ada@example.com', name: 'Ada' };
const request = {
  customer,
  items: [{ sku: 'BOOK-1', quantity: 2, unitPrice: 1250 }],
  currency: 'EUR',
};
const confirmed = {
  orderId: '0190f1c2-7b7e-7c3a-9a51-4f6f2b9d3e10',
  customer,
  paymentId: '0190f1c2-8000-7000-8000-000000000001',
  total: 2800,
  currency: 'EUR',
  confirmedAt: '2025-01-31T12:00:02.000Z',
};
const cancelled = {
  orderId: confirmed.orderId,
  customer,
  reason: 'card declined',
  cancelledAt: '2025-01-31T12:00:02.000Z',
};

// Found by sending these to the running services: each one passed
// validation and then failed in the database (HTTP 500, or a message
// retried to its last attempt) instead of being rejected at once.
describe('hostile input', () => {
  describe('a customer that is an array', () => {
    it('is rejected in CreateOrderRequest', async () => {
      const body = { ...request, customer: [customer] };

      expect(await failingPaths(CreateOrderRequest, body)).toEqual([
        'customer',
      ]);
    });

    it('is rejected in every event that carries one', async () => {
      const order = { ...validOrderCreated(), customer: [customer] };

      expect(await failingPaths(OrderCreated, order)).toEqual(['customer']);
      expect(
        await failingPaths(OrderConfirmed, { ...confirmed, customer: [] }),
      ).toEqual(['customer']);
      expect(
        await failingPaths(OrderCancelled, {
          ...cancelled,
          customer: [customer],
        }),
      ).toEqual(['customer']);
    });
  });

  describe('an item that is an array', () => {
    it('is rejected', async () => {
      const body = { ...request, items: [[request.items[0]]] };

      expect(await violationsOf(CreateOrderRequest, body)).toEqual([
        {
          path: 'items',
          constraints: ['each value in items must be an object'],
        },
      ]);
    });
  });

  describe('a NUL character, which PostgreSQL text cannot store', () => {
    it('is rejected in every customer field and in the sku', async () => {
      const body = {
        ...request,
        customer: { id: 'c\u0000', email: customer.email, name: 'A\u0000B' },
        items: [{ sku: 'BOOK\u0000', quantity: 1, unitPrice: 1 }],
      };

      expect(await failingPaths(CreateOrderRequest, body)).toEqual([
        'customer.id',
        'customer.name',
        'items[0].sku',
      ]);
    });

    it('is rejected with a lone surrogate, which jsonb refuses', async () => {
      const body = {
        ...request,
        customer: {
          ...customer,
          email: 'ad\ud800a@example.com',
          name: 'A\udfff',
        },
        items: [{ sku: '\ud800', quantity: 1, unitPrice: 1 }],
      };

      expect(await failingPaths(CreateOrderRequest, body)).toEqual([
        'customer.email',
        'customer.name',
        'items[0].sku',
      ]);
    });

    it('accepts a surrogate pair', async () => {
      const body = {
        ...request,
        customer: { ...customer, name: 'A \u{1F600}' },
      };

      expect(await failingPaths(CreateOrderRequest, body)).toEqual([]);
    });

    it('is rejected in a reason', async () => {
      expect(
        await failingPaths(OrderCancelled, {
          ...cancelled,
          reason: 'no\u0000',
        }),
      ).toEqual(['reason']);
      expect(
        await failingPaths(PaymentFailed, {
          orderId: confirmed.orderId,
          reason: '\u0000',
          declinedAt: cancelled.cancelledAt,
        }),
      ).toEqual(['reason']);
    });
  });
});
