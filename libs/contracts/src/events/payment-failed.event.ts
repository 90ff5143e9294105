import {
  IsISO8601,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { OrderLimits } from '../shared/limits.js';
import { IsStorableText } from '../validators/is-storable-text.validator.js';

/** `payment.failed`: the charge was declined; the order cannot go on. */
export class PaymentFailed {
  @IsUUID()
  orderId: string;

  /** Why the gateway declined, for people (not a code to branch on). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(OrderLimits.maxReasonLength)
  @IsStorableText()
  reason: string;

  @IsISO8601({ strict: true })
  declinedAt: string;
}
