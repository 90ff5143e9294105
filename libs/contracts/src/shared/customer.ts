import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OrderLimits } from './limits.js';

/** Who placed an order. */
export class Customer {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  id: string;

  @IsEmail()
  @MaxLength(OrderLimits.maxTextLength)
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(OrderLimits.maxTextLength)
  name: string;
}
