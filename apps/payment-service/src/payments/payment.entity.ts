import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer.js';
import type { PaymentStatus } from './payment-status.js';

/** Name of the unique constraint on `payments.order_id`. */
export const PAYMENTS_ORDER_ID_KEY = 'payments_order_id_key';

/**
 * The outcome of charging one order. `order_id` is unique: whatever the
 * broker redelivers, an order has at most one payment.
 */
@Entity('payments')
@Unique(PAYMENTS_ORDER_ID_KEY, ['orderId'])
export class Payment {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'payments_pkey' })
  id: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ type: 'text' })
  status: PaymentStatus;

  /** Charged (or refused) amount in minor units. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  amount: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason: string | null;

  /** Delivery attempt that got through: 1 unless the gateway failed. */
  @Column({ type: 'integer' })
  attempts: number;

  /** Id of the `order.created` message that caused the charge. */
  @Column({ name: 'message_id', type: 'text' })
  messageId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
