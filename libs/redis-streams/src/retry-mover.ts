import type { Redis } from 'ioredis';
import type { KeyLayout } from './key-layout.js';
import type { StreamTrimOptions } from './redis-streams.options.js';
import { moveDueRetriesScript } from './scripts/move-due-retries.script.js';
import { trimArguments } from './stream-trim.js';

/**
 * Moves due retries from the schedule back to their streams. Every server
 * runs one; the script is atomic, so running several at once moves each
 * retry exactly once.
 */
export class RetryMover {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeyLayout,
    private readonly batch: number,
    private readonly trim: StreamTrimOptions | undefined,
  ) {}

  /** Moves everything due now, batch by batch; returns how many. */
  async moveDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = Number(
        await moveDueRetriesScript.run(
          this.redis,
          [this.keys.retrySchedule],
          [
            Date.now(),
            this.batch,
            this.keys.retryEntryPrefix,
            ...trimArguments(this.trim),
          ],
        ),
      );
      total += moved;
      if (moved < this.batch) {
        return total;
      }
    }
  }
}
