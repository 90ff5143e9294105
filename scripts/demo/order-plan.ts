import {
  orderTotal,
  type CreateOrderRequest,
  type OrderItem,
} from '@mq/contracts';
import { declineReason } from '../../apps/payment-service/src/gateway/decline-rule.js';

/** One order the driver will place, and how the saga must end it. */
export interface PlannedOrder {
  readonly index: number;
  readonly request: CreateOrderRequest;
  /** From payment-service's decline rule. */
  readonly expected: 'CONFIRMED' | 'CANCELLED';
  /** Why the rule declines it; null when it is approved. */
  readonly declineReason: string | null;
}

/** What the saga must produce for a set of planned orders. */
export interface PlanExpectation {
  readonly orders: number;
  readonly confirmed: number;
  readonly cancelled: number;
}

/** Shares of the kinds of orders generated. */
const CARD_DECLINED_SHARE = 0.12;
const ABOVE_LIMIT_SHARE = 0.08;

const PRODUCTS = [
  { sku: 'BOOK-DDIA', unitPrice: 4_250 },
  { sku: 'MUG-NEST', unitPrice: 1_290 },
  { sku: 'CABLE-USB-C', unitPrice: 990 },
  { sku: 'KEYBOARD-60', unitPrice: 8_900 },
  { sku: 'STICKER-MQ', unitPrice: 150 },
] as const;
const EXPENSIVE = { sku: 'LAPTOP-PRO', unitPrice: 129_900 } as const;
const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;

/**
 * `count` orders, the same for the same seed: mostly approved, some from
 * customers whose card is declined (`decline+<n>@example.com`) and some
 * above the gateway's amount limit. The expected outcome of each comes
 * from payment-service's own decline rule, not from a copy of it.
 */
export function planOrders(count: number, seed = 1): PlannedOrder[] {
  const random = mulberry32(seed);
  const orders: PlannedOrder[] = [];
  for (let index = 0; index < count; index += 1) {
    const draw = random();
    const cardDeclined = draw < CARD_DECLINED_SHARE;
    const aboveLimit =
      !cardDeclined && draw < CARD_DECLINED_SHARE + ABOVE_LIMIT_SHARE;
    const request = orderRequest(index, random, { cardDeclined, aboveLimit });
    const reason = declineReason({
      total: orderTotal(request.items),
      customer: request.customer,
    });
    orders.push({
      index,
      request,
      expected: reason === null ? 'CONFIRMED' : 'CANCELLED',
      declineReason: reason,
    });
  }
  return orders;
}

/** Expected counts of final states for `orders`. */
export function expectationOf(
  orders: readonly PlannedOrder[],
): PlanExpectation {
  const cancelled = orders.filter((o) => o.expected === 'CANCELLED').length;
  return {
    orders: orders.length,
    confirmed: orders.length - cancelled,
    cancelled,
  };
}

function orderRequest(
  index: number,
  random: () => number,
  kind: { cardDeclined: boolean; aboveLimit: boolean },
): CreateOrderRequest {
  const lines = 1 + Math.floor(random() * 3);
  const items: OrderItem[] = Array.from({ length: lines }, () => {
    const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)];
    return { ...product, quantity: 1 + Math.floor(random() * 4) };
  });
  if (kind.aboveLimit) {
    items.push({ ...EXPENSIVE, quantity: 1 });
  }
  const customer = `c-${String(index).padStart(5, '0')}`;
  return {
    customer: {
      id: customer,
      email: kind.cardDeclined
        ? `decline+${index}@example.com`
        : `${customer}@example.com`,
      name: `Customer ${index}`,
    },
    items,
    currency: CURRENCIES[index % CURRENCIES.length],
  };
}

/** A small seeded generator: the same plan for the same seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
