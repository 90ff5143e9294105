import type { Payment } from './payment.entity.js';
import type { PaymentStatus } from './payment-status.js';

/** A payment as the HTTP API shows it. */
export interface PaymentView {
  readonly id: string;
  readonly orderId: string;
  readonly status: PaymentStatus;
  readonly amount: number;
  readonly currency: string;
  readonly declineReason: string | null;
  readonly attempts: number;
  readonly createdAt: string;
}

export function toPaymentView(payment: Payment): PaymentView {
  return {
    id: payment.id,
    orderId: payment.orderId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    declineReason: payment.declineReason,
    attempts: payment.attempts,
    createdAt: payment.createdAt.toISOString(),
  };
}
