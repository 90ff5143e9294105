import type { NotificationKind } from './notification-kind.js';
import type { Notification } from './notification.entity.js';

/** A notification as the HTTP API shows it. */
export interface NotificationView {
  readonly id: string;
  readonly orderId: string;
  readonly kind: NotificationKind;
  readonly channel: string;
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
  readonly messageId: string;
  readonly createdAt: string;
}

export function toNotificationView(n: Notification): NotificationView {
  return {
    id: n.id,
    orderId: n.orderId,
    kind: n.kind,
    channel: n.channel,
    recipient: n.recipient,
    subject: n.subject,
    body: n.body,
    messageId: n.messageId,
    createdAt: n.createdAt.toISOString(),
  };
}
