import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  Patterns,
  PaymentFailed,
  PaymentSucceeded,
  type SagaPattern,
} from '@mq/contracts';
import { MessageContext, MessageValidationPipe } from '@mq/core';
import { InboxService } from '@mq/outbox';
import type { EntityManager } from 'typeorm';
import { OrdersService } from './orders.service.js';

/**
 * Applies payment results to orders. The inbox makes each message count
 * once: a redelivered `payment.succeeded` finds its record and does
 * nothing.
 *
 * `@EventPattern<SagaPattern>` checks the pattern and picks Nest's
 * untyped overload: the typed one declares every argument after the
 * payload `unknown`, which a typed `@Ctx()` parameter does not accept.
 */
@Controller()
export class PaymentResultsHandler {
  private readonly logger = new Logger(PaymentResultsHandler.name);

  constructor(
    private readonly orders: OrdersService,
    private readonly inbox: InboxService,
  ) {}

  @EventPattern<SagaPattern>(Patterns.paymentSucceeded)
  async onPaymentSucceeded(
    @Payload(MessageValidationPipe) event: PaymentSucceeded,
    @Ctx() ctx: MessageContext,
  ): Promise<void> {
    await this.once(ctx, event.orderId, (manager) =>
      this.orders.confirm(manager, event),
    );
  }

  @EventPattern<SagaPattern>(Patterns.paymentFailed)
  async onPaymentFailed(
    @Payload(MessageValidationPipe) event: PaymentFailed,
    @Ctx() ctx: MessageContext,
  ): Promise<void> {
    await this.once(ctx, event.orderId, (manager) =>
      this.orders.cancel(manager, event),
    );
  }

  private async once(
    ctx: MessageContext,
    orderId: string,
    work: (manager: EntityManager) => Promise<unknown>,
  ): Promise<void> {
    const envelope = ctx.getEnvelope();
    const { duplicate } = await this.inbox.runOnce(
      ctx.getDelivery().consumerGroup,
      envelope.id,
      work,
    );
    if (duplicate) {
      this.logger.debug(
        `${envelope.type} id=${envelope.id} for order ${orderId} ` +
          'was already applied',
      );
    }
  }
}
