import { IsISO8601, IsInt, IsUUID, Min } from 'class-validator';
import { OrderContents } from '../shared/order-contents.js';
import { EqualsItemsTotal } from '../validators/equals-items-total.validator.js';

/** `order.created`: an order was accepted and waits for payment. */
export class OrderCreated extends OrderContents {
  @IsUUID()
  orderId: string;

  /** Sum of the items in minor units. */
  @IsInt()
  @Min(0)
  @EqualsItemsTotal()
  total: number;

  /** ISO 8601 time the order was accepted. */
  @IsISO8601({ strict: true })
  placedAt: string;
}
