import type { BenchPayload } from '../model/workload.types.js';
import { wallClockMs } from './bench-payload.js';

/** What one awaited phase saw on the consumer side. */
export interface TrackedPhase {
  readonly received: number;
  readonly expected: number;
  readonly timedOut: boolean;
  /** Wall-clock ms of the first and last distinct message handled. */
  readonly firstAtMs: number;
  readonly lastAtMs: number;
  /** CPU µs of the process between the first and last message. */
  readonly cpuUs: number;
  /** Publish-to-handler latencies in ms, in arrival order. */
  readonly latenciesMs: readonly number[];
  /** Copies of messages already counted: redeliveries. */
  readonly duplicates: number;
}

interface Expectation {
  readonly tag: string;
  readonly expected: number;
  readonly seen: Uint8Array;
  readonly latencies: Float64Array;
  received: number;
  duplicates: number;
  firstAtMs: number;
  lastAtMs: number;
  firstCpu?: NodeJS.CpuUsage;
  lastCpu?: NodeJS.CpuUsage;
  finish?: () => void;
}

/**
 * Counts the distinct messages of one phase as handlers see them. The
 * handler side (`record`) does as little as possible: a lookup, two clock
 * reads, and a CPU reading only at the first and the last message.
 */
export class MessageTracker {
  private current?: Expectation;

  /** Starts counting messages tagged `tag`; others are ignored. */
  expect(tag: string, expected: number): void {
    this.current = {
      tag,
      expected,
      seen: new Uint8Array(expected),
      latencies: new Float64Array(expected),
      received: 0,
      duplicates: 0,
      firstAtMs: 0,
      lastAtMs: 0,
    };
  }

  /** Called by every handler with the payload it got. */
  readonly record = (payload: BenchPayload): void => {
    const phase = this.current;
    if (!phase || payload.t !== phase.tag) {
      return;
    }
    const now = wallClockMs();
    const sequence = Number(payload.s);
    if (phase.seen[sequence] === 1) {
      phase.duplicates += 1;
      return;
    }
    phase.seen[sequence] = 1;
    phase.latencies[phase.received] = now - Number(payload.at);
    phase.received += 1;
    if (phase.received === 1) {
      phase.firstAtMs = now;
      phase.firstCpu = process.cpuUsage();
    }
    phase.lastAtMs = now;
    if (phase.received === phase.expected) {
      phase.lastCpu = process.cpuUsage();
      phase.finish?.();
    }
  };

  /** Resolves once every expected message came, or at the timeout. */
  async wait(timeoutMs: number): Promise<TrackedPhase> {
    const phase = this.current;
    if (!phase) {
      throw new Error('MessageTracker: wait() before expect()');
    }
    if (phase.received < phase.expected) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        phase.finish = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const lastCpu = phase.lastCpu ?? process.cpuUsage();
    const firstCpu = phase.firstCpu ?? lastCpu;
    return {
      received: phase.received,
      expected: phase.expected,
      timedOut: phase.received < phase.expected,
      firstAtMs: phase.firstAtMs,
      lastAtMs: phase.lastAtMs,
      cpuUs: lastCpu.user + lastCpu.system - (firstCpu.user + firstCpu.system),
      latenciesMs: Array.from(phase.latencies.subarray(0, phase.received)),
      duplicates: phase.duplicates,
    };
  }
}
