import { Type } from 'class-transformer';
import {
  IsDefined,
  IsObject,
  IsISO8601,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Customer } from '../shared/customer.js';
import { OrderLimits } from '../shared/limits.js';
import { IsStorableText } from '../validators/is-storable-text.validator.js';

/** `order.cancelled`: the order will not be fulfilled. */
export class OrderCancelled {
  @IsUUID()
  orderId: string;

  /** Whom to notify. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => Customer)
  customer: Customer;

  /** Why, for people: the payment's decline reason for the demo. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(OrderLimits.maxReasonLength)
  @IsStorableText()
  reason: string;

  @IsISO8601({ strict: true })
  cancelledAt: string;
}
