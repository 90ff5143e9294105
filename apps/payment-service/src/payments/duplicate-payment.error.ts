import { RetriableError } from '@mq/core';

/**
 * Another delivery stored a payment for this order first (the unique key
 * on `order_id` caught it). Retrying is right: the next attempt finds that
 * payment and does nothing.
 */
export class DuplicatePaymentError extends RetriableError {
  constructor(
    readonly orderId: string,
    options?: { cause?: unknown },
  ) {
    super(`a payment for order ${orderId} was stored concurrently`, options);
  }
}
