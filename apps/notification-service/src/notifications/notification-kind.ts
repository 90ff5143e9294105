import { Patterns } from '@mq/contracts';

/** Which final state a notification tells the customer about. */
export const NotificationKind = {
  orderConfirmed: Patterns.orderConfirmed,
  orderCancelled: Patterns.orderCancelled,
} as const;

export type NotificationKind =
  (typeof NotificationKind)[keyof typeof NotificationKind];

export const NOTIFICATION_KINDS: readonly NotificationKind[] =
  Object.values(NotificationKind);
