import type { Logger } from '@nestjs/common';
import type { ProcessOutcome } from '@mq/core';
import {
  RECONNECT_MAX_DELAY_MS,
  RECONNECT_MIN_DELAY_MS,
} from '../postgres.constants.js';
import type { ClaimedDelivery } from './claimed-delivery.js';
import type { DeliveryRepository } from './delivery.repository.js';

/**
 * Writes what became of a delivery: done, retry later, or dead. A failed
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
    const giveUpAt = Date.now() + this.retryForMs;
    let delayMs = RECONNECT_MIN_DELAY_MS;
    for (let attempt = 1; ; attempt += 1) {
      if (this.isClosed()) {
        this.logger.warn(
          `${label} finished after close; its lease was released and it ` +
            'will be redelivered',
        );
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

  private write(
    delivery: ClaimedDelivery,
    outcome: ProcessOutcome,
  ): Promise<boolean> {
    if (outcome.kind === 'handled') {
      return this.repository.markDone(delivery.id);
    }
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
