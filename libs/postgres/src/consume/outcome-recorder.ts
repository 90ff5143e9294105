import type { Logger } from '@nestjs/common';
import type { ProcessOutcome } from '@mq/core';
import {
  OUTCOME_WRITE_ATTEMPTS,
  RECONNECT_MIN_DELAY_MS,
} from '../postgres.constants.js';
import type { ClaimedDelivery } from './claimed-delivery.js';
import type { DeliveryRepository } from './delivery.repository.js';

/**
 * Writes what became of a delivery: done, retry later, or dead. A failed
 * write is tried again a few times (a pooled connection may just have been
 * cut); when it keeps failing the lease is left to expire, which redelivers
 * the message, so nothing is lost either way.
 */
export class OutcomeRecorder {
  constructor(
    private readonly repository: DeliveryRepository,
    private readonly logger: Logger,
    /** True once the server closed: its leases are released already. */
    private readonly isClosed: () => boolean,
  ) {}

  async record(
    delivery: ClaimedDelivery,
    outcome: ProcessOutcome,
  ): Promise<void> {
    const label = `id=${delivery.messageId} key=${delivery.key}`;
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
        }
        return;
      } catch (error) {
        if (attempt >= OUTCOME_WRITE_ATTEMPTS) {
          this.logger.error(
            `could not record ${outcome.kind} for ${label}: ` +
              `${String(error)}; it is redelivered when its lease expires`,
          );
          return;
        }
        await delay(RECONNECT_MIN_DELAY_MS * 2 ** attempt);
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
