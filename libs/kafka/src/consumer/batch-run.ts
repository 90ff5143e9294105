import { PartitionProgress } from './partition-progress.js';

/** The state of one eachBatch call: one partition, one generation. */
export class BatchRun {
  readonly progress = new PartitionProgress();
  readonly tasks: Promise<void>[] = [];
  /** Set once no further message of the batch may start. */
  stopped = false;
  /** A broker write that failed; the batch ends and kafkajs backs off. */
  failure?: unknown;
  /** The rebalance error a heartbeat returned; rethrown to rejoin. */
  rebalance?: unknown;
  /** The last offset committed by this run. */
  committedThrough?: string;

  constructor(
    readonly topic: string,
    readonly partition: number,
    /** Assignment epoch the batch was fetched in. */
    readonly epoch: number,
  ) {}

  get label(): string {
    return `${this.topic}[${this.partition}]`;
  }

  fail(error: unknown): void {
    this.failure ??= error;
    this.stopped = true;
  }
}
