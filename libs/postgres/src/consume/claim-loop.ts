import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
import {
  RECONNECT_MAX_DELAY_MS,
  RECONNECT_MIN_DELAY_MS,
} from '../postgres.constants.js';
import { byPublishOrder, type ClaimedDelivery } from './claimed-delivery.js';
import type { WakeSignal } from './wake-signal.js';

/** What the claim loop needs from its server. */
export interface ClaimLoopHost {
  readonly logger: Logger;
  readonly signal: WakeSignal;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  isRunning(): boolean;
  /** Resolves once a handler slot is free (or the signal stopped). */
  whenSlotFree(): Promise<void>;
  freeSlots(): number;
  /** One tick's database work: write done outcomes, then claim. */
  claim(limit: number): Promise<ClaimedDelivery[]>;
  dispatch(delivery: ClaimedDelivery): void;
}

/**
 * Claims while there is work and free slots, then sleeps until woken or
 * the poll interval ends. A failing database is survived: log, back off,
 * go on.
 */
export class ClaimLoop {
  /** Set while the last tick failed; `health()` reports it. */
  lastError?: Error;

  constructor(private readonly host: ClaimLoopHost) {}

  async run(): Promise<void> {
    const host = this.host;
    let backoffMs = RECONNECT_MIN_DELAY_MS;
    while (host.isRunning()) {
      await host.whenSlotFree();
      // Handlers that finish in this turn free their slots (and queue
      // their done) first, so one tick serves all of them.
      await nextTurn();
      if (!host.isRunning()) {
        break;
      }
      host.signal.reset();
      const limit = Math.min(host.batchSize, host.freeSlots());
      let claimed: ClaimedDelivery[];
      try {
        claimed = await host.claim(limit);
      } catch (error) {
        this.failed(error, backoffMs);
        await host.signal.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, RECONNECT_MAX_DELAY_MS);
        continue;
      }
      if (this.lastError) {
        host.logger.log('claiming works again');
        this.lastError = undefined;
      }
      backoffMs = RECONNECT_MIN_DELAY_MS;
      for (const delivery of claimed.sort(byPublishOrder)) {
        host.dispatch(delivery);
      }
      if (claimed.length < limit) {
        await host.signal.sleep(host.pollIntervalMs);
      }
    }
  }

  private failed(error: unknown, backoffMs: number): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    const reason = `${failure.message}; next try in ${backoffMs} ms`;
    if (this.lastError) {
      this.host.logger.warn(`claiming still fails: ${reason}`);
    } else {
      this.host.logger.error(`claiming deliveries failed: ${reason}`);
    }
    this.lastError = failure;
  }
}
