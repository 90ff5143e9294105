import { Type } from 'class-transformer';
import {
  IsDefined,
  IsObject,
  IsISO8601,
  IsInt,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCurrencyCode } from '../validators/is-currency-code.validator.js';
import { Customer } from '../shared/customer.js';

/** `order.confirmed`: the order was paid; the saga ended well. */
export class OrderConfirmed {
  @IsUUID()
  orderId: string;

  /** Whom to notify. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => Customer)
  customer: Customer;

  @IsUUID()
  paymentId: string;

  /** Charged total in minor units. */
  @IsInt()
  @Min(0)
  total: number;

  @IsCurrencyCode()
  currency: string;

  @IsISO8601({ strict: true })
  confirmedAt: string;
}
