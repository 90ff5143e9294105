import { IsISO8601, IsInt, IsUUID, Min } from 'class-validator';
import { IsCurrencyCode } from '../validators/is-currency-code.validator.js';

/** `payment.succeeded`: the order's total was charged. */
export class PaymentSucceeded {
  @IsUUID()
  orderId: string;

  @IsUUID()
  paymentId: string;

  /** Charged amount in minor units. */
  @IsInt()
  @Min(0)
  amount: number;

  @IsCurrencyCode()
  currency: string;

  @IsISO8601({ strict: true })
  chargedAt: string;
}
