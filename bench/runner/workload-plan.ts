/** The same workload for every variant of every transport in one run. */
export interface WorkloadPlan {
  /** JSON body sizes in bytes. */
  readonly sizes: readonly number[];
  /** Messages per burst (publish throughput) and backlog (consume). */
  readonly count: number;
  /** Messages of the paced phase that measures latency. */
  readonly latencyCount: number;
  /** Offered load of the paced phase, messages per second. */
  readonly latencyRate: number;
  /** Unconfirmed publishes at once during the burst. */
  readonly window: number;
  /** Distinct message keys, round-robin. */
  readonly keys: number;
  /** Handler slots of consumers that have the setting. */
  readonly concurrency: number;
  /** Variant runs per transport, in rotating order. */
  readonly rounds: number;
  /** Rows the outbox relay publishes per transport. */
  readonly outboxRows: number;
  /** Orders of the saga run per transport. */
  readonly sagaOrders: number;
  /** Concurrent POST /orders of the saga driver. */
  readonly sagaConcurrency: number;
}

/**
 * The longest a phase of `count` messages may take: generous, since the
 * point is to report a slow variant, not to time it out, but bounded so a
 * stuck one cannot hang the run.
 */
export function phaseTimeoutMs(count: number): number {
  const slowestRate = 50;
  return 30_000 + Math.ceil((count / slowestRate) * 1000);
}
