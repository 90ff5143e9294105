/** What `orderTotal` needs from an order line. */
export interface PricedLine {
  readonly quantity: number;
  readonly unitPrice: number;
}

/** Sum of quantity x unit price over the lines, in minor units. */
export function orderTotal(items: readonly PricedLine[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
}
