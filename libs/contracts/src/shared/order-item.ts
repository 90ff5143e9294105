import {
  IsInt,
  IsNotEmpty,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsStorableText } from '../validators/is-storable-text.validator.js';
import { OrderLimits } from './limits.js';

/** One order line. Prices are integers in the currency's minor unit. */
export class OrderItem {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @IsStorableText()
  sku: string;

  @IsInt()
  @Min(1)
  @Max(OrderLimits.maxQuantity)
  quantity: number;

  /** Price of one unit in minor units (cents for EUR). */
  @IsInt()
  @Min(0)
  @Max(OrderLimits.maxUnitPrice)
  unitPrice: number;
}
