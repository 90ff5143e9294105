import type { Customer, OrderItem } from '@mq/contracts';
import type { Order } from './order.entity.js';
import type { OrderStatus } from './order-status.js';

/** An order as the HTTP API shows it. */
export interface OrderView {
  readonly id: string;
  readonly status: OrderStatus;
  readonly customer: Customer;
  readonly items: readonly OrderItem[];
  readonly currency: string;
  /** Minor units. */
  readonly total: number;
  readonly placedAt: string;
  readonly finalizedAt: string | null;
  readonly paymentId: string | null;
  readonly cancelReason: string | null;
}

export function toOrderView(order: Order): OrderView {
  return {
    id: order.id,
    status: order.status,
    customer: {
      id: order.customerId,
      email: order.customerEmail,
      name: order.customerName,
    },
    items: order.items,
    currency: order.currency,
    total: order.total,
    placedAt: order.createdAt.toISOString(),
    finalizedAt: order.finalizedAt?.toISOString() ?? null,
    paymentId: order.paymentId,
    cancelReason: order.cancelReason,
  };
}
