import { OrderContents } from '../shared/order-contents.js';

/**
 * Body of `POST /orders`. The server assigns the id, the placement time and
 * the total (from the items), so a client cannot send a wrong total.
 */
export class CreateOrderRequest extends OrderContents {}
