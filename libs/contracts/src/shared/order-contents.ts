import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsObject,
  ValidateNested,
} from 'class-validator';
import { IsCurrencyCode } from '../validators/is-currency-code.validator.js';
import { Customer } from './customer.js';
import { OrderLimits } from './limits.js';
import { OrderItem } from './order-item.js';

/**
 * What a customer orders: who, which items, in which currency. Shared by
 * the `POST /orders` body and the `order.created` event, so both validate
 * these fields by the same rules.
 */
export class OrderContents {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => Customer)
  customer: Customer;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(OrderLimits.maxItems)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderItem)
  items: OrderItem[];

  /** ISO 4217 code, upper case (`EUR`). */
  @IsCurrencyCode()
  currency: string;
}
