import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
import { OrderLimits } from '../shared/limits.js';
import { OrderItem } from '../shared/order-item.js';
import { EqualsItemsTotal } from '../validators/equals-items-total.validator.js';

/** `order.created`: an order was accepted and waits for payment. */
export class OrderCreated {
  @IsUUID()
  orderId: string;

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

  /** Sum of the items in minor units. */
  @IsInt()
  @Min(0)
  @EqualsItemsTotal()
  total: number;

  /** ISO 8601 time the order was accepted. */
  @IsISO8601({ strict: true })
  placedAt: string;
}
