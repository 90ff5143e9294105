import { CreateOrderRequest } from '@mq/contracts';
import { failingPaths, violationsOf } from './violations.js';

const request = {
  customer: { id: 'c-42', email: 'ada@example.com', name: 'Ada' },
  items: [{ sku: 'BOOK-1', quantity: 2, unitPrice: 1250 }],
  currency: 'EUR',
};

describe('CreateOrderRequest', () => {
  it('accepts a body without id, total or time', async () => {
    expect(await violationsOf(CreateOrderRequest, request)).toEqual([]);
  });

  it('reports nested paths for customer and items', async () => {
    const body = {
      ...request,
      customer: { ...request.customer, email: 'ada' },
      items: [{ sku: 'BOOK-1', quantity: 0, unitPrice: 1250 }],
    };

    expect(await violationsOf(CreateOrderRequest, body)).toEqual([
      { path: 'customer.email', constraints: ['email must be an email'] },
      {
        path: 'items[0].quantity',
        constraints: ['quantity must not be less than 1'],
      },
    ]);
  });

  it('rejects an order with more than 100 items', async () => {
    const items = Array.from({ length: 101 }, (_, i) => ({
      sku: `SKU-${i}`,
      quantity: 1,
      unitPrice: 1,
    }));

    expect(
      await failingPaths(CreateOrderRequest, { ...request, items }),
    ).toEqual(['items']);
  });

  it('rejects a missing body', async () => {
    expect(await failingPaths(CreateOrderRequest, {})).toEqual([
      'currency',
      'customer',
      'items',
    ]);
  });
});
