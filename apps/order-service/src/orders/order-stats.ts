import type { OrderStatus } from './order-status.js';

/** Time from placement to the final state, over finalized orders, in ms. */
export interface LatencyStats {
  /** Finalized orders measured. */
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

/** The answer of `GET /orders/stats`. */
export interface OrderStats {
  readonly total: number;
  /** Every status, zero included. */
  readonly byStatus: Readonly<Record<OrderStatus, number>>;
  /** Orders still PENDING: 0 once the saga has settled everything. */
  readonly pending: number;
  /** Orders CONFIRMED or CANCELLED. */
  readonly finalized: number;
  readonly latencyMs: LatencyStats;
}
