import { postJson } from './http-json.js';
import type { PlannedOrder } from './order-plan.js';

/** A planned order that order-service accepted. */
export interface PlacedOrder {
  readonly id: string;
  readonly plan: PlannedOrder;
}

export interface DriveOptions {
  /** Base URL of order-service. */
  readonly orderServiceUrl: string;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Called after each accepted order with the number placed so far. */
  readonly onPlaced?: (placed: number) => void;
  /** Stops sending new orders (Ctrl-C); the ones in flight finish. */
  readonly signal?: AbortSignal;
}

interface CreatedOrder {
  readonly id: string;
  readonly status: string;
}

/**
 * Places every planned order with `POST /orders`, at most `concurrency` at
 * a time, and returns them with the ids the service gave them, in plan
 * order. The first refused request fails the whole drive: a demo whose
 * orders are not accepted has nothing to show.
 */
export async function driveOrders(
  orders: readonly PlannedOrder[],
  options: DriveOptions,
): Promise<PlacedOrder[]> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(
      `concurrency must be a positive integer, got ${options.concurrency}`,
    );
  }
  const placed: PlacedOrder[] = [];
  let next = 0;
  let done = 0;
  let failed = false;

  const worker = async (): Promise<void> => {
    while (next < orders.length && !failed) {
      options.signal?.throwIfAborted();
      const position = next;
      next += 1;
      const plan = orders[position];
      try {
        const created = await postJson<CreatedOrder>(
          `${options.orderServiceUrl}/orders`,
          plan.request,
        );
        if (created.status !== 'PENDING') {
          throw new Error(`came back ${created.status}, not PENDING`);
        }
        placed[position] = { id: created.id, plan };
      } catch (error) {
        failed = true;
        throw new Error(`order ${plan.index} was not accepted`, {
          cause: error,
        });
      }
      done += 1;
      options.onPlaced?.(done);
    }
  };

  const workers = Math.min(options.concurrency, Math.max(orders.length, 1));
  await Promise.all(Array.from({ length: workers }, worker));
  return placed;
}
