import { Injectable, Logger } from '@nestjs/common';
import type { Customer } from '@mq/contracts';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { NotificationKind } from './notification-kind.js';
import { Notification } from './notification.entity.js';

/** A notification to record; the text is built from the event. */
export interface NotificationRequest {
  readonly orderId: string;
  readonly kind: NotificationKind;
  readonly customer: Customer;
  readonly subject: string;
  readonly body: string;
  readonly messageId: string;
}

/**
 * Records the customer notification of an order's final state. The row
 * stands for the e-mail a real service would send; the log line names the
 * order only, never the customer.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  /** True when recorded, false when the order already had one. */
  async record(
    manager: EntityManager,
    request: NotificationRequest,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values({
        id: uuidv7(),
        orderId: request.orderId,
        kind: request.kind,
        channel: 'email',
        recipient: request.customer.email,
        subject: request.subject,
        body: request.body,
        messageId: request.messageId,
        createdAt: new Date(),
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    // RETURNING yields no row when ON CONFLICT DO NOTHING skipped the insert.
    const recorded = (result.raw as unknown[]).length > 0;
    if (recorded) {
      this.logger.log(
        `${request.kind} notification recorded for order ` +
          `${request.orderId} (message ${request.messageId})`,
      );
    } else {
      this.logger.warn(
        `order ${request.orderId} already has a notification; ` +
          `${request.kind} message ${request.messageId} ignored`,
      );
    }
    return recorded;
  }
}
