import type { QueueRow } from './queue-row.js';

/** How publishes are grouped into INSERT statements. */
export interface InsertBatchLimits {
  /** Most messages in one statement (a single publish call may exceed it). */
  readonly maxMessages: number;
  /** Most body bytes in one statement (same exception). */
  readonly maxBytes: number;
  /** Statements running at once. */
  readonly concurrency: number;
}

interface Waiting {
  readonly rows: readonly QueueRow[];
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for one client's publishes. Publish calls that arrive
 * while earlier statements run are queued and then written together, in
 * call order, by one multi-row INSERT; each call resolves only after the
 * commit that contains its rows, so "resolved" still means "durable".
 * An idle client writes a call at once: nothing waits for a timer.
 *
 * A call's rows always travel in one statement: a batch call stays all
 * or nothing. When a statement of several calls fails, each call is
 * written again on its own, in order, so one bad call (a key PostgreSQL
 * refuses) cannot fail its neighbours. That is safe even if the failed
 * statement had committed (a connection lost after COMMIT): message ids
 * already stored are skipped.
 */
export class InsertBatcher {
  private readonly queue: Waiting[] = [];
  private running = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly insertRows: (rows: readonly QueueRow[]) => Promise<void>,
    private readonly limits: InsertBatchLimits,
  ) {}

  /** Resolves once `rows` are committed; rejects if they are not. */
  insert(rows: readonly QueueRow[]): Promise<void> {
    const bytes = rows.reduce((sum, row) => sum + row.body.length, 0);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, bytes, resolve, reject });
      this.pump();
    });
  }

  /** Resolves when nothing is queued or being written. */
  drained(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.running < this.limits.concurrency && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.running += 1;
      void this.write(batch).finally(() => {
        this.running -= 1;
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private takeBatch(): Waiting[] {
    const batch = [this.queue.shift() as Waiting];
    let messages = batch[0].rows.length;
    let bytes = batch[0].bytes;
    for (const next of this.queue) {
      if (
        messages + next.rows.length > this.limits.maxMessages ||
        bytes + next.bytes > this.limits.maxBytes
      ) {
        break;
      }
      messages += next.rows.length;
      bytes += next.bytes;
      batch.push(next);
    }
    this.queue.splice(0, batch.length - 1);
    return batch;
  }

  private async write(batch: readonly Waiting[]): Promise<void> {
    try {
      await this.insertRows(batch.flatMap((waiting) => waiting.rows));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      await this.writeOneByOne(batch);
      return;
    }
    for (const waiting of batch) {
      waiting.resolve();
    }
  }

  private async writeOneByOne(batch: readonly Waiting[]): Promise<void> {
    for (const waiting of batch) {
      try {
        await this.insertRows(waiting.rows);
        waiting.resolve();
      } catch (error) {
        waiting.reject(error);
      }
    }
  }

  private notifyIdle(): void {
    if (this.running > 0 || this.queue.length > 0) {
      return;
    }
    const waiters = this.idle;
    this.idle = [];
    for (const resolve of waiters) {
      resolve();
    }
  }
}
