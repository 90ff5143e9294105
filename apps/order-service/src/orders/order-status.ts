/**
 * Life of an order. PENDING waits for the payment result; CONFIRMED and
 * CANCELLED are final: nothing moves an order out of them.
 */
export const OrderStatus = {
  pending: 'PENDING',
  confirmed: 'CONFIRMED',
  cancelled: 'CANCELLED',
} as const;

export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const ORDER_STATUSES: readonly OrderStatus[] =
  Object.values(OrderStatus);
