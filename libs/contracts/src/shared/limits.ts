/**
 * Bounds on order contents. They keep a payload small and every total well
 * inside `Number.MAX_SAFE_INTEGER`: 100 items x 1,000 x 10,000,000 = 1e12.
 */
export const OrderLimits = {
  maxItems: 100,
  maxQuantity: 1_000,
  /** Largest unit price in minor units (100,000.00 in a 2-decimal currency). */
  maxUnitPrice: 10_000_000,
  maxTextLength: 200,
  maxReasonLength: 500,
} as const;
