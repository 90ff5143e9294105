import type { Logger } from '@nestjs/common';
import type { ProcessOutcome } from '@mq/core';
import {
  RECONNECT_MAX_DELAY_MS,
  RECONNECT_MIN_DELAY_MS,
} from '../postgres.constants.js';
import type { ClaimedDelivery } from './claimed-delivery.js';
import type { DeliveryRepository } from './delivery.repository.js';
import type { DoneBatch } from './done-batch.js';

/**
 * Writes what became of a delivery. Done is only queued in the DoneBatch,
 * which the claim loop writes for many deliveries at once; retry later
 * and dead are written at once, as they are rare. A failed
 * write (the database restarting, a cut connection) is tried again with
 * backoff for up to one lease, while the server keeps renewing it, so the
 * message is settled as soon as the database answers again instead of
 * waiting for its lease to run out. When the writes keep failing the
 * lease is left to expire, which redelivers the message: nothing is lost
 * either way.
 */
export class OutcomeRecorder {
  constructor(
    private readonly repository: DeliveryRepository,
    private readonly done: DoneBatch,
    private readonly logger: Logger,
    /** True once the server closed: its leases are released already. */
    private readonly isClosed: () => boolean,
    /** How long to keep trying a failed write. */
    private readonly retryForMs: number,
  ) {}

  async record(
    delivery: ClaimedDelivery,
    outcome: ProcessOutcome,
  ): Promise<void> {
    const label = `id=${delivery.messageId} key=${delivery.key}`;
    if (outcome.kind === 'handled') {
      if (this.isClosed()) {
        this.warnAfterClose(label);
      } else {
        this.done.add(delivery);
      }
      return;
    }
    const giveUpAt = Date.now() + this.retryForMs;
    let delayMs = RECONNECT_MIN_DELAY_MS;
    for (let attempt = 1; ; attempt += 1) {
      if (this.isClosed()) {
        this.warnAfterClose(label);
        return;
      }
      try {
        if (!(await this.write(delivery, outcome))) {
          this.logger.warn(
            `lease of ${label} was lost before its ${outcome.kind} ` +
              'outcome was recorded; the new holder decides',
          );
        } else if (attempt > 1) {
          this.logger.log(
            `recorded ${outcome.kind} for ${label} after ${attempt} tries`,
          );
        }
        return;
      } catch (error) {
        if (Date.now() + delayMs >= giveUpAt) {
          this.logger.error(
            `could not record ${outcome.kind} for ${label}: ` +
              `${String(error)}; it is redelivered when its lease expires`,
          );
          return;
        }
        if (attempt === 1) {
          this.logger.warn(
            `recording ${outcome.kind} for ${label} failed: ` +
              `${String(error)}; trying again until the database answers`,
          );
        }
        await delay(delayMs);
        delayMs = Math.min(delayMs * 2, RECONNECT_MAX_DELAY_MS);
      }
    }
  }

  private warnAfterClose(label: string): void {
    this.logger.warn(
      `${label} finished after close; its lease was released and it ` +
        'will be redelivered',
    );
  }

  private write(
    delivery: ClaimedDelivery,
    outcome: Exclude<ProcessOutcome, { kind: 'handled' }>,
  ): Promise<boolean> {
    if (outcome.kind === 'retry') {
      return this.repository.scheduleRetry(
        delivery.id,
        outcome.delayMs,
        outcome.failure,
      );
    }
    return this.repository.markDead(delivery.id, outcome.metadata);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
