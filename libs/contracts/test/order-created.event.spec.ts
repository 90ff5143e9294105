import { Customer, OrderCreated, OrderItem } from '@mq/contracts';
import { MessageValidationPipe, PayloadValidationError } from '@mq/core';
import { validOrderCreated } from './fixtures.js';
import { failingPaths, violationsOf } from './violations.js';

function withField(field: string, value: unknown): Record<string, unknown> {
  return { ...validOrderCreated(), [field]: value };
}

describe('OrderCreated', () => {
  it('accepts a valid order', async () => {
    expect(await violationsOf(OrderCreated, validOrderCreated())).toEqual([]);
  });

  it('turns nested objects into class instances', async () => {
    const pipe = new MessageValidationPipe();
    const event = (await pipe.transform(validOrderCreated(), {
      type: 'custom',
      metatype: OrderCreated,
    })) as OrderCreated;

    expect(event).toBeInstanceOf(OrderCreated);
    expect(event.customer).toBeInstanceOf(Customer);
    expect(event.items[0]).toBeInstanceOf(OrderItem);
  });

  describe('customer', () => {
    it('reports a bad email with its nested path', async () => {
      const order = validOrderCreated();
      order.customer = { id: 'c-1', email: 'not-an-email', name: 'Ada' };

      const violations = await violationsOf(OrderCreated, order);

      expect(violations).toEqual([
        { path: 'customer.email', constraints: ['email must be an email'] },
      ]);
    });

    it('is required and must be an object', async () => {
      expect(
        await failingPaths(OrderCreated, withField('customer', null)),
      ).toEqual(['customer']);
      expect(
        await failingPaths(OrderCreated, withField('customer', 'ada')),
      ).toEqual(['customer']);
    });

    it('needs an id and a name', async () => {
      const order = withField('customer', { email: 'ada@example.com' });

      expect(await failingPaths(OrderCreated, order)).toEqual([
        'customer.id',
        'customer.name',
      ]);
    });
  });

  describe('items', () => {
    it('needs at least one item', async () => {
      const violations = await violationsOf(OrderCreated, {
        ...withField('items', []),
        total: 0,
      });

      expect(violations).toEqual([
        {
          path: 'items',
          constraints: ['items must contain at least 1 elements'],
        },
      ]);
    });

    it('reports quantity and unit price with the item index', async () => {
      const order = validOrderCreated();
      order.items = [
        { sku: 'BOOK-1', quantity: 2, unitPrice: 1250 },
        { sku: 'PEN-7', quantity: 0, unitPrice: -1 },
        { sku: 'INK-2', quantity: 1.5, unitPrice: 9.99 },
      ];

      const violations = await violationsOf(OrderCreated, order);
      const byPath = Object.fromEntries(
        violations.map((v) => [v.path, v.constraints]),
      );

      expect(Object.keys(byPath).sort()).toEqual([
        'items[1].quantity',
        'items[1].unitPrice',
        'items[2].quantity',
        'items[2].unitPrice',
      ]);
      expect(byPath['items[1].quantity']).toEqual([
        'quantity must not be less than 1',
      ]);
      expect(byPath['items[2].unitPrice']).toEqual([
        'unitPrice must be an integer number',
      ]);
    });

    it('requires a sku on every item', async () => {
      const order = withField('items', [{ quantity: 1, unitPrice: 2800 }]);

      expect(await failingPaths(OrderCreated, order)).toEqual(['items[0].sku']);
    });

    it('rejects a list that is not an array', async () => {
      const order = withField('items', { sku: 'BOOK-1' });

      expect(await failingPaths(OrderCreated, order)).toContain('items');
    });
  });

  describe('total', () => {
    it('must equal the sum of quantity x unit price', async () => {
      const violations = await violationsOf(
        OrderCreated,
        withField('total', 2799),
      );

      expect(violations).toEqual([
        {
          path: 'total',
          constraints: [
            'total must equal the sum of quantity x unitPrice of items',
          ],
        },
      ]);
    });

    it('must be an integer amount of minor units', async () => {
      expect(
        await failingPaths(OrderCreated, withField('total', 28.0001)),
      ).toEqual(['total']);
    });
  });

  it('requires an upper-case ISO 4217 currency', async () => {
    for (const currency of ['eur', 'EURO', 'XYZ', 42]) {
      expect(
        await failingPaths(OrderCreated, withField('currency', currency)),
      ).toEqual(['currency']);
    }
    expect(
      await failingPaths(OrderCreated, withField('currency', 'JPY')),
    ).toEqual([]);
  });

  it('requires a UUID order id', async () => {
    expect(
      await failingPaths(OrderCreated, withField('orderId', 'o-1')),
    ).toEqual(['orderId']);
  });

  it('requires placedAt to be a real ISO 8601 date', async () => {
    for (const placedAt of ['2025-02-30T00:00:00Z', 'yesterday', 1738324800]) {
      expect(
        await failingPaths(OrderCreated, withField('placedAt', placedAt)),
      ).toEqual(['placedAt']);
    }
  });

  it('fails in MessageValidationPipe with every path in the error', async () => {
    const order = validOrderCreated();
    order.customer = { id: 'c-1', email: 'nope', name: 'Ada' };
    order.items = [{ sku: 'BOOK-1', quantity: 0, unitPrice: 2800 }];
    order.total = 0;
    const pipe = new MessageValidationPipe();

    const failure = await pipe
      .transform(order, { type: 'custom', metatype: OrderCreated })
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(failure).toBeInstanceOf(PayloadValidationError);
    const error = failure as PayloadValidationError;
    expect(error.violations.map((v) => v.path)).toEqual([
      'customer.email',
      'items[0].quantity',
    ]);
    expect(error.message).toContain('customer.email (email must be an email)');
  });
});
