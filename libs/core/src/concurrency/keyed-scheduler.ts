import { FifoQueue } from './fifo-queue.js';

interface Job {
  readonly key: string;
  readonly task: () => Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs tasks with a global concurrency limit while tasks that share a key run
 * one at a time, in the order they were scheduled. This is what lets a
 * consumer work on many orders in parallel without reordering any one order.
 */
export class KeyedScheduler {
  /** Jobs per key; the head of each list is running or eligible. */
  private readonly byKey = new Map<string, FifoQueue<Job>>();
  /** Heads of key lists waiting for a free slot, in arrival order. */
  private readonly eligible = new FifoQueue<Job>();
  private readonly waiters: Array<{ limit: number; wake: () => void }> = [];
  private running = 0;
  private scheduled = 0;

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(
        `KeyedScheduler: concurrency must be an integer >= 1, got ${concurrency}`,
      );
    }
  }

  /** Tasks scheduled and not yet finished. */
  get pending(): number {
    return this.scheduled;
  }

  /** Settles as the task does, once it has had its turn. */
  schedule(key: string, task: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const job: Job = { key, task, resolve, reject };
      this.scheduled += 1;
      const queue = this.byKey.get(key);
      if (queue) {
        queue.push(job);
        return;
      }
      const own = new FifoQueue<Job>();
      own.push(job);
      this.byKey.set(key, own);
      this.eligible.push(job);
      this.pump();
    });
  }

  /** Resolves once fewer than `limit` tasks are pending: backpressure. */
  whenBelow(limit: number): Promise<void> {
    if (this.scheduled < limit) {
      return Promise.resolve();
    }
    return new Promise((wake) => this.waiters.push({ limit, wake }));
  }

  /** Resolves when every scheduled task has finished. */
  drain(): Promise<void> {
    return this.whenBelow(1);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.eligible.length > 0) {
      const job = this.eligible.shift() as Job;
      this.running += 1;
      void this.execute(job);
    }
  }

  private async execute(job: Job): Promise<void> {
    try {
      await job.task();
      job.resolve();
    } catch (error) {
      job.reject(error);
    } finally {
      this.running -= 1;
      this.scheduled -= 1;
      this.advance(job.key);
      this.wakeWaiters();
      this.pump();
    }
  }

  private advance(key: string): void {
    const queue = this.byKey.get(key) as FifoQueue<Job>;
    queue.shift();
    const next = queue.peek();
    if (next) {
      this.eligible.push(next);
    } else {
      this.byKey.delete(key);
    }
  }

  private wakeWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      if (this.scheduled < this.waiters[i].limit) {
        this.waiters[i].wake();
        this.waiters.splice(i, 1);
      }
    }
  }
}
