import type { PlacedOrder } from '../../scripts/demo/order-driver.js';
import type { E2eSystem } from './e2e-system.js';

/** One order as the three services' tables show it. */
export interface OrderTrail {
  readonly status: string;
  readonly payments: number;
  readonly paymentResults: number;
  readonly notifications: number;
  /** The kind of the notification, when there is exactly one. */
  readonly notificationKind: string | null;
}

/**
 * Reads, straight from the services' tables, what happened to every order:
 * its status, its payment rows, the payment result events payment-service
 * wrote to its outbox, and its notification rows.
 */
export async function orderTrails(
  e2e: E2eSystem,
): Promise<Map<string, OrderTrail>> {
  const { rows } = await e2e.db.query<{
    id: string;
    status: string;
    payments: number;
    payment_results: number;
    notifications: number;
    notification_kind: string | null;
  }>(
    `SELECT o.id, o.status,
            (SELECT count(*)::int FROM ${e2e.table('payments', 'payments')} p
              WHERE p.order_id = o.id) AS payments,
            (SELECT count(*)::int
               FROM ${e2e.table('payments', 'outbox_messages')} r
              WHERE r.key = o.id::text) AS payment_results,
            (SELECT count(*)::int
               FROM ${e2e.table('notifications', 'notifications')} n
              WHERE n.order_id = o.id) AS notifications,
            (SELECT min(n.kind)
               FROM ${e2e.table('notifications', 'notifications')} n
              WHERE n.order_id = o.id) AS notification_kind
       FROM ${e2e.table('orders', 'orders')} o`,
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        status: row.status,
        payments: row.payments,
        paymentResults: row.payment_results,
        notifications: row.notifications,
        notificationKind: row.notification_kind,
      },
    ]),
  );
}

/**
 * Orders whose trail is not exactly: the final status the decline rule
 * predicts, one payment, one payment result, one notification of the
 * matching kind. Empty when the saga did everything right.
 */
export async function wrongTrails(
  e2e: E2eSystem,
  placed: readonly PlacedOrder[],
): Promise<string[]> {
  const trails = await orderTrails(e2e);
  const wrong: string[] = [];
  for (const order of placed) {
    const trail = trails.get(order.id);
    const kind =
      order.plan.expected === 'CONFIRMED'
        ? 'order.confirmed'
        : 'order.cancelled';
    const ok =
      trail !== undefined &&
      trail.status === order.plan.expected &&
      trail.payments === 1 &&
      trail.paymentResults === 1 &&
      trail.notifications === 1 &&
      trail.notificationKind === kind;
    if (!ok) {
      wrong.push(
        `order ${order.id} (#${order.plan.index}, expected ` +
          `${order.plan.expected}): ${JSON.stringify(trail ?? 'missing')}`,
      );
    }
  }
  if (trails.size !== placed.length) {
    wrong.push(
      `order-service has ${trails.size} orders, ${placed.length} placed`,
    );
  }
  return wrong;
}

/** Order ids that have more than one payment row. */
export async function doublyChargedOrders(e2e: E2eSystem): Promise<string[]> {
  const { rows } = await e2e.db.query<{ order_id: string }>(
    `SELECT order_id FROM ${e2e.table('payments', 'payments')}
      GROUP BY order_id HAVING count(*) > 1`,
  );
  return rows.map((row) => row.order_id);
}
