import {
  HeaderNames,
  type KeyedScheduler,
  type MessageProcessor,
  type ProcessOutcome,
} from '@mq/core';
import type { Logger } from '@nestjs/common';
import { deliveryLimitOutcome } from './delivery-limit.js';
import { errorMessage } from './error-message.js';
import { InFlightEntries } from './in-flight-entries.js';
import type { KeyLayout } from './key-layout.js';
import type { OutcomeWriter } from './outcome-writer.js';
import { headerAttempt, type StreamEntry } from './stream-entry.js';

export interface EntryDispatcherOptions {
  readonly group: string;
  readonly keys: KeyLayout;
  readonly scheduler: KeyedScheduler;
  readonly processor: MessageProcessor;
  readonly writer: OutcomeWriter;
  readonly maxAttempts: number;
  /** Only for the log line of an entry left pending. */
  readonly visibilityTimeoutMs: number;
  readonly logger: Logger;
}

/**
 * From a read or reclaimed entry to its settled outcome: skips copies meant
 * for another group, runs the rest through the keyed scheduler and the
 * message processor, and has the outcome written. Tracks the entries in
 * flight so they can be kept alive and are not claimed twice.
 */
export class EntryDispatcher {
  /** Entries handled here right now, per stream. */
  readonly inFlight = new InFlightEntries();

  constructor(private readonly options: EntryDispatcherOptions) {}

  /** Hands an entry to the scheduler; `deliveries` counts this one. */
  dispatch(stream: string, entry: StreamEntry, deliveries: number): void {
    const { group, logger, scheduler } = this.options;
    if (entry.targetGroup !== undefined && entry.targetGroup !== group) {
      this.skipForeign(stream, entry);
      return;
    }
    this.inFlight.add(stream, entry.id);
    const key = entry.headers[HeaderNames.key] || entry.id;
    void scheduler
      .schedule(key, () => this.handle(stream, entry, deliveries))
      .catch((error: unknown) =>
        logger.error(
          `entry ${entry.id} of ${stream} failed outside its handler: ` +
            `${errorMessage(error)}; it stays pending`,
        ),
      )
      .finally(() => this.inFlight.delete(stream, entry.id));
  }

  /** A retry or redrive meant for another group: ack it and move on. */
  private skipForeign(stream: string, entry: StreamEntry): void {
    this.options.writer.ack(stream, [entry.id]);
  }

  private async handle(
    stream: string,
    entry: StreamEntry,
    deliveries: number,
  ): Promise<void> {
    const attempt = headerAttempt(entry) + deliveries - 1;
    try {
      // Redelivered past the limit without ever failing: a crash loop.
      const outcome =
        deliveries > 1 && attempt > this.options.maxAttempts
          ? this.crashLoopOutcome(stream, entry, attempt)
          : await this.options.processor.process({
              destination: stream,
              headers: entry.headers,
              body: entry.body,
              attempt,
              fallbackType: this.options.keys.patternOf(stream),
            });
      await this.options.writer.settle(stream, entry, outcome);
    } catch (error) {
      const id = entry.headers[HeaderNames.id] ?? '?';
      this.options.logger.error(
        `could not settle id=${id} (entry ${entry.id} of ${stream}, ` +
          `attempt ${attempt}): ${errorMessage(error)}; it stays pending ` +
          `and is reclaimed after ${this.options.visibilityTimeoutMs} ms`,
      );
    }
  }

  private crashLoopOutcome(
    stream: string,
    entry: StreamEntry,
    attempt: number,
  ): ProcessOutcome {
    const outcome = deliveryLimitOutcome(
      stream,
      this.options.group,
      entry,
      attempt,
      this.options.maxAttempts,
    );
    this.options.logger.warn(
      `dead-lettering id=${entry.headers[HeaderNames.id] ?? '?'} from ` +
        `${stream}: ${outcome.failure.message}`,
    );
    return outcome;
  }
}
