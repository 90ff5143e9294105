import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchPayload } from '../model/workload.types.js';
import { PayloadFactory, wallClockMs } from './bench-payload.js';

/** Sends one message and resolves once the broker accepted it. */
export type PublishOne = (key: string, payload: BenchPayload) => Promise<void>;

export interface BurstOptions {
  readonly tag: string;
  readonly size: number;
  readonly count: number;
  /** Publishes awaiting their confirm at once. */
  readonly window: number;
  /** Distinct message keys, used round-robin. */
  readonly keys: number;
}

export interface PacedOptions {
  readonly tag: string;
  readonly size: number;
  readonly count: number;
  /** Offered load, messages per second. */
  readonly rate: number;
  readonly keys: number;
}

/** How a publishing loop went. */
export interface LoopResult {
  readonly elapsedMs: number;
  /** CPU µs of the process over the loop. */
  readonly cpuUs: number;
}

/**
 * Publishes `count` messages as fast as confirms come back, with at most
 * `window` unconfirmed at a time: what a service does when it emits
 * events one call at a time from many concurrent requests. The first
 * failed publish fails the burst.
 */
export async function burst(
  publish: PublishOne,
  options: BurstOptions,
): Promise<LoopResult> {
  const factory = new PayloadFactory(options.tag, options.size);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const sequence = next;
      next += 1;
      await publish(keyOf(sequence, options.keys), factory.next(sequence));
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const workers = Math.min(options.window, options.count);
  await Promise.all(Array.from({ length: workers }, worker));
  return {
    elapsedMs: performance.now() - started,
    cpuUs: cpuSince(cpu),
  };
}

/**
 * Publishes at a fixed offered rate, without waiting for confirms before
 * sending the next (an open loop), so a slow consumer shows up as latency
 * instead of slowing the publisher down. Waits for every confirm at the
 * end.
 */
export async function paced(
  publish: PublishOne,
  options: PacedOptions,
): Promise<LoopResult> {
  const factory = new PayloadFactory(options.tag, options.size);
  const intervalMs = 1000 / options.rate;
  const pending = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const cpu = process.cpuUsage();
  const started = wallClockMs();
  let sent = 0;
  while (sent < options.count && failures.length === 0) {
    const due = Math.min(
      options.count,
      Math.floor((wallClockMs() - started) / intervalMs) + 1,
    );
    for (; sent < due; sent += 1) {
      const sending = publish(
        keyOf(sent, options.keys),
        factory.next(sent),
      ).catch((error: unknown) => {
        failures.push(error);
      });
      pending.add(sending);
      void sending.finally(() => pending.delete(sending));
    }
    const wait = started + sent * intervalMs - wallClockMs();
    await sleep(Math.max(0, wait));
  }
  await Promise.all(pending);
  if (failures.length > 0) {
    throw failures[0];
  }
  return {
    elapsedMs: wallClockMs() - started,
    cpuUs: cpuSince(cpu),
  };
}

function keyOf(sequence: number, keys: number): string {
  return `key-${sequence % keys}`;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}
