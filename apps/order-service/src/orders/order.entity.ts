import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { OrderItem } from '@mq/contracts';
import { bigintNumber } from './bigint-number.transformer.js';
import type { OrderStatus } from './order-status.js';

/** An order as order-service stores it, in its own schema. */
@Entity('orders')
@Index('orders_status_idx', ['status'])
@Index('orders_created_at_idx', ['createdAt'])
export class Order {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'orders_pkey' })
  id: string;

  @Column({ type: 'text' })
  status: OrderStatus;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ name: 'customer_email', type: 'text' })
  customerEmail: string;

  @Column({ name: 'customer_name', type: 'text' })
  customerName: string;

  /** The lines as accepted; they never change after creation. */
  @Column({ type: 'jsonb' })
  items: OrderItem[];

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Sum of the items in minor units. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  total: number;

  /** When the order was placed; `placedAt` of `order.created`. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When it became CONFIRMED or CANCELLED; null while PENDING. */
  @Column({ name: 'finalized_at', type: 'timestamptz', nullable: true })
  finalizedAt: Date | null;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId: string | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;
}
