import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsEmailAddress } from '../validators/is-email-address.validator.js';
import { IsStorableText } from '../validators/is-storable-text.validator.js';
import { OrderLimits } from './limits.js';

/** Who placed an order. */
export class Customer {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @IsStorableText()
  id: string;

  @IsEmailAddress()
  @MaxLength(OrderLimits.maxTextLength)
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(OrderLimits.maxTextLength)
  @IsStorableText()
  name: string;
}
