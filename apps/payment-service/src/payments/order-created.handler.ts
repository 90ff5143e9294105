import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OrderCreated, Patterns, type SagaPattern } from '@mq/contracts';
import { MessageContext, MessageValidationPipe } from '@mq/core';
import { InboxService } from '@mq/outbox';
import { DuplicateDeliveries } from './duplicate-deliveries.counter.js';
import { PaymentsService } from './payments.service.js';

/**
 * Charges each new order. The inbox turns a redelivered `order.created`
 * into a no-op; a second, distinct `order.created` for the same order is
 * stopped by PaymentsService.
 *
 * `@EventPattern<SagaPattern>` checks the pattern and picks Nest's
 * untyped overload: the typed one declares every argument after the
 * payload `unknown`, which a typed `@Ctx()` parameter does not accept.
 */
@Controller()
export class OrderCreatedHandler {
  private readonly logger = new Logger(OrderCreatedHandler.name);

  constructor(
    private readonly payments: PaymentsService,
    private readonly inbox: InboxService,
    private readonly duplicates: DuplicateDeliveries,
  ) {}

  @EventPattern<SagaPattern>(Patterns.orderCreated)
  async onOrderCreated(
    @Payload(MessageValidationPipe) order: OrderCreated,
    @Ctx() ctx: MessageContext,
  ): Promise<void> {
    const envelope = ctx.getEnvelope();
    const { duplicate } = await this.inbox.runOnce(
      ctx.getDelivery().consumerGroup,
      envelope.id,
      (manager) =>
        this.payments.charge(manager, order, {
          messageId: envelope.id,
          attempt: ctx.getAttempt(),
        }),
    );
    if (duplicate) {
      this.duplicates.record();
      this.logger.debug(
        `order.created id=${envelope.id} for order ${order.orderId} ` +
          'was already handled',
      );
    }
  }
}
