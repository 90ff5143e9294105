/** How a charge ended. */
export const PaymentStatus = {
  succeeded: 'SUCCEEDED',
  declined: 'DECLINED',
} as const;

export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];
