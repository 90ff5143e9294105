import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  OrderCancelled,
  OrderConfirmed,
  Patterns,
  type SagaPattern,
} from '@mq/contracts';
import { MessageContext, MessageValidationPipe } from '@mq/core';
import { InboxService } from '@mq/outbox';
import { NotificationKind } from './notification-kind.js';
import {
  NotificationsService,
  type NotificationRequest,
} from './notifications.service.js';

/**
 * Notifies customers of confirmed and cancelled orders, once per message
 * (inbox) and once per order (unique key).
 *
 * `@EventPattern<SagaPattern>` checks the pattern and picks Nest's
 * untyped overload: the typed one declares every argument after the
 * payload `unknown`, which a typed `@Ctx()` parameter does not accept.
 */
@Controller()
export class FinalOrderHandler {
  private readonly logger = new Logger(FinalOrderHandler.name);

  constructor(
    private readonly notifications: NotificationsService,
    private readonly inbox: InboxService,
  ) {}

  @EventPattern<SagaPattern>(Patterns.orderConfirmed)
  async onOrderConfirmed(
    @Payload(MessageValidationPipe) event: OrderConfirmed,
    @Ctx() ctx: MessageContext,
  ): Promise<void> {
    await this.notify(ctx, {
      orderId: event.orderId,
      kind: NotificationKind.orderConfirmed,
      customer: event.customer,
      subject: `Your order ${event.orderId} is confirmed`,
      body:
        `Hello ${event.customer.name}, we received your payment of ` +
        `${formatAmount(event.total, event.currency)}.`,
      messageId: ctx.getEnvelope().id,
    });
  }

  @EventPattern<SagaPattern>(Patterns.orderCancelled)
  async onOrderCancelled(
    @Payload(MessageValidationPipe) event: OrderCancelled,
    @Ctx() ctx: MessageContext,
  ): Promise<void> {
    await this.notify(ctx, {
      orderId: event.orderId,
      kind: NotificationKind.orderCancelled,
      customer: event.customer,
      subject: `Your order ${event.orderId} was cancelled`,
      body:
        `Hello ${event.customer.name}, we could not take your payment: ` +
        `${event.reason}.`,
      messageId: ctx.getEnvelope().id,
    });
  }

  private async notify(
    ctx: MessageContext,
    request: NotificationRequest,
  ): Promise<void> {
    const { duplicate } = await this.inbox.runOnce(
      ctx.getDelivery().consumerGroup,
      request.messageId,
      (manager) => this.notifications.record(manager, request),
    );
    if (duplicate) {
      this.logger.debug(
        `${request.kind} id=${request.messageId} for order ` +
          `${request.orderId} was already handled`,
      );
    }
  }
}

/** `2800 EUR` -> `28.00 EUR`; minor units assumed to be hundredths. */
function formatAmount(minor: number, currency: string): string {
  return `${(minor / 100).toFixed(2)} ${currency}`;
}
