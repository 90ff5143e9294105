import type { Logger } from '@nestjs/common';
import type { DeliveryRepository } from './delivery.repository.js';
import { DoneBatch } from './done-batch.js';

/**
 * The deliveries a server owns and their leases: those in flight (claimed,
 * handler not finished) and those handled whose done is not written yet.
 * Keeps their leases alive while they are owned, and on close writes the
 * last done marks and hands back the rest.
 */
export class LeaseKeeper {
  /** Handled deliveries waiting for their done write. */
  readonly done: DoneBatch;
  /** Claimed and not finished; `started` once a handler slot took it. */
  private readonly inFlight = new Map<string, { started: boolean }>();
  private renewTimer?: NodeJS.Timeout;

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly logger: Logger,
    private readonly leaseMs: number,
  ) {
    this.done = new DoneBatch(logger, leaseMs);
  }

  /** Renews the leases of owned deliveries every third of a lease. */
  start(): void {
    this.renewTimer = setInterval(
      () => void this.renew(),
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
  }

  stop(): void {
    clearInterval(this.renewTimer);
  }

  /** Ids this server owns: never to be claimed again by it. */
  owned(): string[] {
    return [...this.inFlight.keys(), ...this.done.ids()];
  }

  claimed(id: string): void {
    this.inFlight.set(id, { started: false });
  }

  started(id: string): void {
    const entry = this.inFlight.get(id);
    if (entry) {
      entry.started = true;
    }
  }

  finished(id: string): void {
    this.inFlight.delete(id);
  }

  /**
   * At close, once handlers finished or the wait for them ended: writes
   * the done marks still waiting, then hands back every other lease
   * (without counting the attempt of a delivery that never started), so
   * another server takes those deliveries at once.
   */
  async settleOnClose(): Promise<void> {
    await this.writeLastDone();
    await this.releaseUnfinished();
  }

  private async writeLastDone(): Promise<void> {
    const waiting = this.done.size;
    try {
      await this.done.flush(async (ids) => ({
        done: await this.repository.markDone(ids),
      }));
    } catch (error) {
      this.logger.error(
        `could not record done for ${waiting} handled deliveries on ` +
          `close: ${String(error)}; they will be redelivered`,
      );
    }
  }

  private async releaseUnfinished(): Promise<void> {
    const notStarted = [...this.inFlight.entries()]
      .filter(([, entry]) => !entry.started)
      .map(([id]) => id);
    try {
      const released = await this.repository.releaseLeases(notStarted);
      if (released > 0) {
        this.logger.log(`released ${released} unfinished lease(s)`);
      }
    } catch (error) {
      this.logger.error(
        `could not release leases on close: ${String(error)}; the ` +
          'deliveries come back when their leases expire ' +
          `(${this.leaseMs} ms)`,
      );
    }
  }

  /**
   * Only owned deliveries: one this server gave up on (its outcome could
   * not be written) must see its lease run out, or it would never come
   * back while other handlers keep the server busy.
   */
  private async renew(): Promise<void> {
    const owned = this.owned();
    if (owned.length === 0) {
      return;
    }
    try {
      await this.repository.renewLeases(owned, this.leaseMs);
    } catch (error) {
      this.logger.warn(`renewing leases failed: ${String(error)}`);
    }
  }
}
