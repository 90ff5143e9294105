import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';
import type { NotificationKind } from './notification-kind.js';

/** Name of the unique constraint on `notifications.order_id`. */
export const NOTIFICATIONS_ORDER_ID_KEY = 'notifications_order_id_key';

/**
 * One message to a customer about the final state of an order: at most one
 * per order, whatever the broker redelivers.
 */
@Entity('notifications')
@Unique(NOTIFICATIONS_ORDER_ID_KEY, ['orderId'])
export class Notification {
  @PrimaryColumn({
    type: 'uuid',
    primaryKeyConstraintName: 'notifications_pkey',
  })
  id: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ type: 'text' })
  kind: NotificationKind;

  /** Always `email` in the demo. */
  @Column({ type: 'text' })
  channel: string;

  /** The customer's address. Personal data: stored, never logged. */
  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  /** Id of the event that caused it. */
  @Column({ name: 'message_id', type: 'text' })
  messageId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
