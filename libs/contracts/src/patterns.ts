/**
 * The message types (Nest patterns) of the order saga. Use these constants
 * in `@EventPattern(...)` and when publishing, never string literals.
 */
export const Patterns = {
  orderCreated: 'order.created',
  paymentSucceeded: 'payment.succeeded',
  paymentFailed: 'payment.failed',
  orderConfirmed: 'order.confirmed',
  orderCancelled: 'order.cancelled',
} as const;

/** One of the saga's message types. */
export type SagaPattern = (typeof Patterns)[keyof typeof Patterns];
