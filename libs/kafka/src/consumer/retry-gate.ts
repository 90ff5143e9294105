import { Logger } from '@nestjs/common';

/**
 * Holds back a retry topic partition until its next record is due: the
 * partition is paused, so the fetch loop goes on serving every other
 * partition and the main topics, and a timer resumes it. The paused record
 * stays unresolved, so the next fetch starts with it.
 */
export class RetryGate {
  private readonly logger = new Logger(RetryGate.name);
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** `pause` is kafkajs's eachBatch helper; it returns the resume function. */
  holdUntil(
    topic: string,
    partition: number,
    dueAt: number,
    pause: () => () => void,
  ): void {
    const id = `${topic}[${partition}]`;
    clearTimeout(this.timers.get(id));
    const resume = pause();
    const delay = Math.max(0, dueAt - Date.now());
    this.logger.verbose(`holding ${id} for ${delay} ms until a retry is due`);
    const timer = setTimeout(() => {
      this.timers.delete(id);
      resume();
    }, delay);
    this.timers.set(id, timer);
  }

  /** How many partitions are held right now. */
  get held(): number {
    return this.timers.size;
  }

  /** Drops all timers: on close, or when the consumer is replaced. */
  clear(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }
}
