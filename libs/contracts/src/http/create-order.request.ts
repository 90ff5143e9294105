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
import { Customer } from '../shared/customer.js';
import { OrderLimits } from '../shared/limits.js';
import { OrderItem } from '../shared/order-item.js';

/**
 * Body of `POST /orders`. The server assigns the id, the placement time and
 * the total (from the items), so a client cannot send a wrong total.
 */
export class CreateOrderRequest {
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

  @IsCurrencyCode()
  currency: string;
}
