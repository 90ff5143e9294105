/** A valid `order.created` payload; tests break one field at a time. */
export function validOrderCreated(): Record<string, unknown> {
  return {
    orderId: '0190f1c2-7b7e-7c3a-9a51-4f6f2b9d3e10',
    customer: { id: 'c-42', email: 'ada@example.com', name: 'Ada Lovelace' },
    items: [
      { sku: 'BOOK-1', quantity: 2, unitPrice: 1250 },
      { sku: 'PEN-7', quantity: 1, unitPrice: 300 },
    ],
    currency: 'EUR',
    total: 2800,
    placedAt: '2025-01-31T12:00:00.000Z',
  };
}
