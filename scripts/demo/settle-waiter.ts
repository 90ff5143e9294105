import { setTimeout as sleep } from 'node:timers/promises';
import type { SagaSystem } from './saga-system.js';
import {
  readOrderStats,
  readSystemStats,
  type SystemStats,
} from './system-stats.js';

export interface SettleOptions {
  /** Orders placed: all of them must become final. */
  readonly orders: number;
  /** Poison messages sent: payment-service must dead-letter as many. */
  readonly poison: number;
  readonly timeoutMs: number;
  /** Called on every poll with the number of final orders. */
  readonly onProgress?: (finalOrders: number) => void;
  readonly signal?: AbortSignal;
  /** @default 250 */
  readonly pollIntervalMs?: number;
}

export interface SettleResult {
  /** False when the timeout came first. */
  readonly settled: boolean;
  /** The figures at the end of the wait. */
  readonly stats: SystemStats;
  readonly waitedMs: number;
}

/**
 * Polls the services until the saga has run to its end for every order:
 * no order pending, a payment and a notification per order, and the
 * poison messages in payment-service's dead letters. Fails at once when a
 * service dies without being asked to.
 */
export async function waitUntilSettled(
  system: SagaSystem,
  options: SettleOptions,
): Promise<SettleResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const interval = options.pollIntervalMs ?? 250;
  for (;;) {
    options.signal?.throwIfAborted();
    system.assertRunning();
    const orders = await readOrderStats(system);
    options.onProgress?.(orders.finalized);
    if (orders.pending === 0 && orders.total >= options.orders) {
      const stats = await readSystemStats(system);
      if (isSettled(stats, options)) {
        return { settled: true, stats, waitedMs: Date.now() - started };
      }
    }
    if (Date.now() >= deadline) {
      return {
        settled: false,
        stats: await readSystemStats(system),
        waitedMs: Date.now() - started,
      };
    }
    await sleep(interval);
  }
}

function isSettled(stats: SystemStats, options: SettleOptions): boolean {
  return (
    stats.orders.pending === 0 &&
    stats.orders.total >= options.orders &&
    stats.payments.count >= options.orders &&
    stats.notifications.count >= options.orders &&
    stats.deadLetters.paymentService >= options.poison
  );
}
