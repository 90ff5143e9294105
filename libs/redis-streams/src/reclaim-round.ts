import type { KeyedScheduler } from '@mq/core';
import type { Logger } from '@nestjs/common';
import type { ConsumerGroups } from './consumer-groups.js';
import type { EntryDispatcher } from './entry-dispatcher.js';
import { isNoGroup } from './error-message.js';
import type { PendingReclaimer } from './pending-reclaimer.js';

export interface ReclaimRoundOptions {
  readonly concurrency: number;
  readonly visibilityTimeoutMs: number;
  readonly scheduler: KeyedScheduler;
  readonly reclaimer: PendingReclaimer;
  readonly dispatcher: EntryDispatcher;
  readonly groups: ConsumerGroups;
  readonly logger: Logger;
}

/**
 * What a server does every claim interval: keep the entries it is
 * handling alive (a slow handler must not lose them), then take over idle
 * ones of other consumers, no more than it has free slots.
 */
export class ReclaimRound {
  constructor(private readonly options: ReclaimRoundOptions) {}

  async run(
    streams: readonly string[],
    isRunning: () => boolean,
  ): Promise<void> {
    await this.keepAlive();
    const { concurrency, scheduler } = this.options;
    for (const stream of streams) {
      const free = concurrency - scheduler.pending;
      if (!isRunning() || free <= 0) {
        return;
      }
      try {
        await this.claim(stream, free);
      } catch (error) {
        if (!isNoGroup(error)) {
          throw error;
        }
        await this.options.groups.recover([stream]);
      }
    }
  }

  private async keepAlive(): Promise<void> {
    const { dispatcher, reclaimer } = this.options;
    for (const [stream, ids] of dispatcher.inFlight.streams()) {
      try {
        await reclaimer.extend(stream, ids);
      } catch (error) {
        // A lost group is recovered by the read loop; say nothing twice.
        if (!isNoGroup(error)) {
          throw error;
        }
      }
    }
  }

  private async claim(stream: string, limit: number): Promise<void> {
    const { dispatcher, reclaimer, logger } = this.options;
    const claimed = await reclaimer.claim(stream, limit, (id) =>
      dispatcher.inFlight.has(stream, id),
    );
    if (claimed.length > 0) {
      logger.log(
        `reclaimed ${claimed.length} entries of ${stream} idle for ` +
          `${this.options.visibilityTimeoutMs} ms or more`,
      );
    }
    for (const { entry, deliveries } of claimed) {
      dispatcher.dispatch(stream, entry, deliveries);
    }
  }
}
