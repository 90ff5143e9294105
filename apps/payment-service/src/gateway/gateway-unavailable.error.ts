import { RetriableError } from '@mq/core';

/** The simulated gateway's transient failure: retried with backoff. */
export class GatewayUnavailableError extends RetriableError {
  constructor(
    readonly orderId: string,
    readonly attempt: number,
  ) {
    super(
      `payment gateway unavailable for order ${orderId} ` +
        `(simulated, attempt ${attempt})`,
    );
  }
}
