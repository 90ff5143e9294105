import { OrderLimits, orderTotal } from '@mq/contracts';

describe('orderTotal', () => {
  it('sums quantity x unit price', () => {
    expect(
      orderTotal([
        { quantity: 2, unitPrice: 1250 },
        { quantity: 3, unitPrice: 1 },
      ]),
    ).toBe(2503);
  });

  it('is 0 for no items', () => {
    expect(orderTotal([])).toBe(0);
  });

  it('stays a safe integer at the largest allowed order', () => {
    const line = {
      quantity: OrderLimits.maxQuantity,
      unitPrice: OrderLimits.maxUnitPrice,
    };
    const total = orderTotal(
      Array.from({ length: OrderLimits.maxItems }, () => line),
    );

    expect(Number.isSafeInteger(total)).toBe(true);
  });
});
