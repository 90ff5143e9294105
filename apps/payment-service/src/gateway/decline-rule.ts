/**
 * The simulated gateway's decline rule, deterministic so that a demo or a
 * test can tell from the order alone how it will end. This file imports
 * nothing, so scripts can import it directly.
 *
 * An order is declined when
 * - its customer's email starts with `decline` (`decline+1@example.com`),
 *   reason `card declined`, or
 * - its total is above DECLINE_ABOVE_TOTAL minor units (1,000.00 in a
 *   two-decimal currency), reason `amount above limit`.
 * Every other order is approved.
 */
export const DECLINE_ABOVE_TOTAL = 100_000;

export const DECLINE_EMAIL_PREFIX = 'decline';

/** What the rule needs from an order. */
export interface DeclineRuleInput {
  readonly total: number;
  readonly customer: { readonly email: string };
}

/** Why the gateway declines this order, or null when it approves it. */
export function declineReason(order: DeclineRuleInput): string | null {
  if (order.customer.email.toLowerCase().startsWith(DECLINE_EMAIL_PREFIX)) {
    return 'card declined';
  }
  if (order.total > DECLINE_ABOVE_TOTAL) {
    return `amount above limit of ${DECLINE_ABOVE_TOTAL}`;
  }
  return null;
}

/** True when the saga will end CANCELLED for this order. */
export function willBeDeclined(order: DeclineRuleInput): boolean {
  return declineReason(order) !== null;
}
