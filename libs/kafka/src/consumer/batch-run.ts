import { PartitionProgress } from './partition-progress.js';

/** The state of one eachBatch call: one partition, one generation. */
export class BatchRun {
  readonly progress = new PartitionProgress();
  /** `topic[partition]`, for logs and as the scheduler's key prefix. */
  readonly label: string;
  /** Set once no further message of the batch may start. */
  stopped = false;
  /** A broker write that failed; the batch ends and kafkajs backs off. */
  failure?: unknown;
  /** The rebalance error a heartbeat returned; rethrown to rejoin. */
  rebalance?: unknown;
  /** The last offset committed by this run. */
  committedThrough?: string;
  private running = 0;
  private whenIdle?: Promise<void>;
  private wakeIdle?: () => void;

  constructor(
    readonly topic: string,
    readonly partition: number,
    /** Assignment epoch the batch was fetched in. */
    readonly epoch: number,
  ) {
    this.label = `${topic}[${partition}]`;
  }

  fail(error: unknown): void {
    this.failure ??= error;
    this.stopped = true;
  }

  /** A message was handed to the scheduler. */
  started(): void {
    this.running += 1;
  }

  /** A message's task ended: finished, failed or skipped. */
  ended(): void {
    this.running -= 1;
    if (this.running === 0) {
      this.wakeIdle?.();
    }
  }

  /**
   * Resolves once every started message has ended. One promise per batch,
   * not one per message: every promise costs, more so with the async
   * hooks AsyncLocalStorage turns on.
   */
  idle(): Promise<void> {
    if (this.running === 0) {
      return Promise.resolve();
    }
    this.whenIdle ??= new Promise((resolve) => (this.wakeIdle = resolve));
    return this.whenIdle;
  }
}
