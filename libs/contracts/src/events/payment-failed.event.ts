import {
  IsISO8601,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { OrderLimits } from '../shared/limits.js';

/** `payment.failed`: the charge was declined; the order cannot go on. */
export class PaymentFailed {
  @IsUUID()
  orderId: string;

  /** Why the gateway declined, for people (not a code to branch on). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(OrderLimits.maxReasonLength)
  reason: string;

  @IsISO8601({ strict: true })
  declinedAt: string;
}
