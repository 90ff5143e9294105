import { Injectable, Logger } from '@nestjs/common';
import {
  Patterns,
  type OrderCreated,
  type PaymentFailed,
  type PaymentSucceeded,
} from '@mq/contracts';
import { OutboxService } from '@mq/outbox';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { SimulatedPaymentGateway } from '../gateway/simulated-payment.gateway.js';
import { DuplicatePaymentError } from './duplicate-payment.error.js';
import { Payment, PAYMENTS_ORDER_ID_KEY } from './payment.entity.js';
import { PaymentStatus } from './payment-status.js';

/** Which delivery of which message asks for the charge. */
export interface ChargeContext {
  readonly messageId: string;
  readonly attempt: number;
}

/** What handling one `order.created` did. */
export type ChargeOutcome = 'charged' | 'declined' | 'already-paid';

/**
 * Charges orders, at most once each: an order that already has a payment
 * is left alone, and the unique key on `order_id` backs that check up
 * against a concurrent delivery. The payment and its result event commit
 * together.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly gateway: SimulatedPaymentGateway,
    private readonly outbox: OutboxService,
  ) {}

  async charge(
    manager: EntityManager,
    order: OrderCreated,
    context: ChargeContext,
  ): Promise<ChargeOutcome> {
    const existing = await manager.findOneBy(Payment, {
      orderId: order.orderId,
    });
    if (existing) {
      this.logger.warn(
        `order ${order.orderId} already has payment ${existing.id}; ` +
          `message ${context.messageId} ignored`,
      );
      return 'already-paid';
    }

    const result = this.gateway.charge(
      {
        orderId: order.orderId,
        total: order.total,
        currency: order.currency,
        customer: order.customer,
      },
      context.attempt,
    );
    const payment = new Payment();
    payment.id = uuidv7();
    payment.orderId = order.orderId;
    payment.amount = order.total;
    payment.currency = order.currency;
    payment.attempts = context.attempt;
    payment.messageId = context.messageId;
    if (result.approved) {
      payment.status = PaymentStatus.succeeded;
      payment.declineReason = null;
      payment.createdAt = result.chargedAt;
    } else {
      payment.status = PaymentStatus.declined;
      payment.declineReason = result.reason;
      payment.createdAt = result.at;
    }

    await this.insert(manager, payment);
    await this.announce(manager, payment);
    this.logger.log(
      `order ${order.orderId}: payment ${payment.id} ${payment.status} ` +
        `(attempt ${context.attempt})`,
    );
    return result.approved ? 'charged' : 'declined';
  }

  private async insert(manager: EntityManager, payment: Payment) {
    try {
      await manager.insert(Payment, payment);
    } catch (error) {
      if (isUniqueViolation(error, PAYMENTS_ORDER_ID_KEY)) {
        throw new DuplicatePaymentError(payment.orderId, { cause: error });
      }
      throw error;
    }
  }

  private async announce(manager: EntityManager, payment: Payment) {
    const options = { key: payment.orderId };
    if (payment.status === PaymentStatus.succeeded) {
      await this.outbox.add<PaymentSucceeded>(
        manager,
        Patterns.paymentSucceeded,
        {
          orderId: payment.orderId,
          paymentId: payment.id,
          amount: payment.amount,
          currency: payment.currency,
          chargedAt: payment.createdAt.toISOString(),
        },
        options,
      );
      return;
    }
    await this.outbox.add<PaymentFailed>(
      manager,
      Patterns.paymentFailed,
      {
        orderId: payment.orderId,
        reason: payment.declineReason ?? 'declined',
        declinedAt: payment.createdAt.toISOString(),
      },
      options,
    );
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) {
    return false;
  }
  const driverError = error.driverError as {
    code?: string;
    constraint?: string;
  };
  return driverError.code === '23505' && driverError.constraint === constraint;
}
