import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { runtimeConfig, type RuntimeConfigType } from '@mq/service-runtime';
import { declineReason, type DeclineRuleInput } from './decline-rule.js';
import { GatewayUnavailableError } from './gateway-unavailable.error.js';
import {
  paymentGatewayConfig,
  type PaymentGatewayConfig,
} from './payment-gateway.config.js';
import { isTransientFailure } from './transient-failure.js';

/** A charge to make; the order id doubles as the idempotency key. */
export interface ChargeRequest extends DeclineRuleInput {
  readonly orderId: string;
  readonly currency: string;
}

export type ChargeResult =
  | { readonly approved: true; readonly chargedAt: Date }
  | { readonly approved: false; readonly reason: string; readonly at: Date };

/**
 * Stands in for a card processor. It approves or declines by the rule in
 * decline-rule.ts and, at the configured rate, throws a retriable
 * GatewayUnavailableError instead. A real gateway would take the order id
 * as idempotency key, so that a charge repeated after a crash is not
 * booked twice; this one has no side effects to repeat.
 */
@Injectable()
export class SimulatedPaymentGateway implements OnModuleInit {
  private readonly logger = new Logger(SimulatedPaymentGateway.name);
  private transientFailures = 0;

  constructor(
    @Inject(paymentGatewayConfig.KEY)
    private readonly settings: PaymentGatewayConfig,
    @Inject(runtimeConfig.KEY) private readonly runtime: RuntimeConfigType,
  ) {}

  onModuleInit(): void {
    const { rate, maxFailures } = this.settings;
    if (rate > 0 && maxFailures >= this.runtime.retry.maxAttempts) {
      this.logger.warn(
        `PAYMENT_TRANSIENT_MAX_FAILURES (${maxFailures}) is not below ` +
          `MQ_MAX_ATTEMPTS (${this.runtime.retry.maxAttempts}): some orders ` +
          'will be dead-lettered instead of charged',
      );
    }
  }

  /** Simulated transient failures thrown since the process started. */
  get transientFailureCount(): number {
    return this.transientFailures;
  }

  /** Charges `request`; `attempt` is the delivery attempt, from 1. */
  charge(request: ChargeRequest, attempt: number): ChargeResult {
    if (isTransientFailure(this.settings, request.orderId, attempt)) {
      this.transientFailures += 1;
      throw new GatewayUnavailableError(request.orderId, attempt);
    }
    const reason = declineReason(request);
    const at = new Date();
    return reason === null
      ? { approved: true, chargedAt: at }
      : { approved: false, reason, at };
  }
}
