import type { Logger } from '@nestjs/common';
import type { ClaimedDelivery } from './claimed-delivery.js';

interface Waiting {
  readonly delivery: ClaimedDelivery;
  /** When the handler finished (ms since epoch). */
  readonly since: number;
}

/**
 * Handled deliveries whose `done` is not written yet. The claim loop
 * writes all of them in the statement of its next claim, instead of one
 * commit per message. Until then a delivery is still pending and leased
 * by this server: it stays its key's head, so the key's next delivery is
 * not claimed before it is done (order by key), and a crash before the
 * write means the lease runs out and the message is delivered again (at
 * least once; the inbox makes that a no-op).
 *
 * A failed write keeps the ids for the next one. Ids that could not be
 * written for a whole lease are given up: their lease is no longer
 * renewed, runs out, and they are redelivered.
 */
export class DoneBatch {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly logger: Logger,
    /** How long to keep trying to write an id. */
    private readonly giveUpAfterMs: number,
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  /** Ids waiting for their write: still owned by this server. */
  ids(): string[] {
    return [...this.waiting.keys()];
  }

  add(delivery: ClaimedDelivery): void {
    this.waiting.set(delivery.id, { delivery, since: Date.now() });
  }

  /**
   * Runs `write` with every id waiting now (ids added meanwhile wait for
   * the next one), even with none: the claim loop's tick writes them and
   * claims in one statement. `write` returns, in `done`, the ids it
   * marked; the others had lost their lease. A failed write is rethrown
   * after giving up on the ids that have waited longer than a lease.
   */
  async flush<T extends { readonly done: Set<string> }>(
    write: (ids: readonly string[]) => Promise<T>,
  ): Promise<T> {
    const batch = [...this.waiting.values()];
    let result: T;
    try {
      result = await write(batch.map(({ delivery }) => delivery.id));
    } catch (error) {
      this.giveUpOnOld(error);
      throw error;
    }
    for (const { delivery } of batch) {
      this.waiting.delete(delivery.id);
      if (!result.done.has(delivery.id)) {
        this.logger.warn(
          `lease of ${label(delivery)} was lost before its done outcome ` +
            'was recorded; the new holder decides',
        );
      }
    }
    return result;
  }

  private giveUpOnOld(error: unknown): void {
    const oldest = Date.now() - this.giveUpAfterMs;
    for (const [id, { delivery, since }] of this.waiting) {
      if (since <= oldest) {
        this.waiting.delete(id);
        this.logger.error(
          `could not record done for ${label(delivery)}: ${String(error)}; ` +
            'it is redelivered when its lease expires',
        );
      }
    }
  }
}

function label(delivery: ClaimedDelivery): string {
  return `id=${delivery.messageId} key=${delivery.key}`;
}
