import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import {
  orderTotal,
  Patterns,
  type CreateOrderRequest,
  type OrderCancelled,
  type OrderConfirmed,
  type OrderCreated,
  type PaymentFailed,
  type PaymentSucceeded,
} from '@mq/contracts';
import { NonRetriableError } from '@mq/core';
import { OutboxService } from '@mq/outbox';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Order } from './order.entity.js';
import { OrderStatus } from './order-status.js';

/** What applying a payment result did. */
export type PaymentResultOutcome = 'applied' | 'ignored-final';

/**
 * The order side of the saga: creates orders and applies payment results,
 * each change together with the event announcing it, in one transaction.
 */
@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  /** Stores a PENDING order and its `order.created` in one transaction. */
  async create(request: CreateOrderRequest): Promise<Order> {
    const order = new Order();
    order.id = uuidv7();
    order.status = OrderStatus.pending;
    order.customerId = request.customer.id;
    order.customerEmail = request.customer.email;
    order.customerName = request.customer.name;
    order.items = request.items.map(({ sku, quantity, unitPrice }) => ({
      sku,
      quantity,
      unitPrice,
    }));
    order.currency = request.currency;
    order.total = orderTotal(order.items);
    order.createdAt = new Date();
    order.finalizedAt = null;
    order.paymentId = null;
    order.cancelReason = null;

    await this.dataSource.transaction(async (manager) => {
      await manager.insert(Order, order);
      await this.outbox.add<OrderCreated>(
        manager,
        Patterns.orderCreated,
        orderCreatedOf(order),
        { key: order.id },
      );
    });
    this.logger.log(`order ${order.id} placed (total ${order.total})`);
    return order;
  }

  async get(id: string): Promise<Order> {
    const order = await this.dataSource.manager.findOneBy(Order, { id });
    if (!order) {
      throw new NotFoundException(`no order with id ${id}`);
    }
    return order;
  }

  /** PENDING -> CONFIRMED, announced as `order.confirmed`. */
  confirm(
    manager: EntityManager,
    result: PaymentSucceeded,
  ): Promise<PaymentResultOutcome> {
    return this.finalize(manager, result.orderId, async (order) => {
      order.status = OrderStatus.confirmed;
      order.paymentId = result.paymentId;
      await manager.save(order);
      await this.outbox.add<OrderConfirmed>(
        manager,
        Patterns.orderConfirmed,
        {
          orderId: order.id,
          customer: customerOf(order),
          paymentId: result.paymentId,
          total: order.total,
          currency: order.currency,
          confirmedAt: iso(order.finalizedAt),
        },
        { key: order.id },
      );
    });
  }

  /** PENDING -> CANCELLED, announced as `order.cancelled`. */
  cancel(
    manager: EntityManager,
    result: PaymentFailed,
  ): Promise<PaymentResultOutcome> {
    return this.finalize(manager, result.orderId, async (order) => {
      order.status = OrderStatus.cancelled;
      order.cancelReason = result.reason;
      await manager.save(order);
      await this.outbox.add<OrderCancelled>(
        manager,
        Patterns.orderCancelled,
        {
          orderId: order.id,
          customer: customerOf(order),
          reason: result.reason,
          cancelledAt: iso(order.finalizedAt),
        },
        { key: order.id },
      );
    });
  }

  /**
   * Locks the order row, and applies `change` only while it is PENDING: a
   * result for an order already final (a late or contradicting one) is
   * ignored, so nothing ever moves a CONFIRMED order back.
   */
  private async finalize(
    manager: EntityManager,
    orderId: string,
    change: (order: Order) => Promise<void>,
  ): Promise<PaymentResultOutcome> {
    const order = await manager.findOne(Order, {
      where: { id: orderId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!order) {
      // The order commits before its order.created leaves the outbox, so
      // a result for an unknown order is not going to fix itself.
      throw new NonRetriableError(
        `payment result for unknown order ${orderId}`,
      );
    }
    if (order.status !== OrderStatus.pending) {
      this.logger.warn(
        `order ${orderId} is already ${order.status}; payment result ignored`,
      );
      return 'ignored-final';
    }
    order.finalizedAt = new Date();
    await change(order);
    this.logger.log(`order ${orderId} is ${order.status}`);
    return 'applied';
  }
}

function orderCreatedOf(order: Order): OrderCreated {
  return {
    orderId: order.id,
    customer: customerOf(order),
    items: order.items,
    currency: order.currency,
    total: order.total,
    placedAt: order.createdAt.toISOString(),
  };
}

function customerOf(order: Order): OrderCreated['customer'] {
  return {
    id: order.customerId,
    email: order.customerEmail,
    name: order.customerName,
  };
}

function iso(date: Date | null): string {
  return (date ?? new Date()).toISOString();
}
