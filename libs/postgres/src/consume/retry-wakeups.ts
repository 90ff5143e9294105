import type { WakeSignal } from './wake-signal.js';

/**
 * Wakes the claim loop when a retry this server scheduled comes due, so
 * it is claimed on time instead of at the next poll.
 */
export class RetryWakeups {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly signal: WakeSignal) {}

  after(delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.signal.wake();
    }, delayMs + 1);
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }
}
