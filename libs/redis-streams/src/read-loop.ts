import type { KeyedScheduler } from '@mq/core';
import type { AckBatcher } from './ack-batcher.js';
import type { Logger } from '@nestjs/common';
import type { ConsumerGroups } from './consumer-groups.js';
import type { EntryDispatcher } from './entry-dispatcher.js';
import { errorMessage, isNoGroup } from './error-message.js';
import type { PendingReclaimer } from './pending-reclaimer.js';
import { MAX_READ_BACKOFF_MS } from './redis-streams.constants.js';
import type { StreamBatch, StreamReader } from './stream-reader.js';

export interface ReadLoopOptions {
  readonly group: string;
  readonly consumer: string;
  readonly concurrency: number;
  readonly visibilityTimeoutMs: number;
  readonly reader: StreamReader;
  readonly groups: ConsumerGroups;
  readonly scheduler: KeyedScheduler;
  readonly dispatcher: EntryDispatcher;
  readonly reclaimer: PendingReclaimer;
  readonly acks: AckBatcher;
  readonly logger: Logger;
}

/**
 * The fetch side of a server: waits for free handler slots, reads new
 * entries of all its streams with one XREADGROUP, and hands them to the
 * dispatcher. Read failures back off (NOGROUP recreates the group first).
 */
export class ReadLoop {
  private running = false;
  private finished: Promise<void> = Promise.resolve();
  private stopSignal: Promise<void> = Promise.resolve();
  private signalStop: () => void = () => undefined;
  private failures = 0;
  private aboutToRead = false;

  constructor(private readonly options: ReadLoopOptions) {}

  /** True between a slot coming free and the read that fills it. */
  isAboutToRead(): boolean {
    return this.aboutToRead;
  }

  start(streams: readonly string[]): void {
    this.running = true;
    this.stopSignal = new Promise((resolve) => {
      this.signalStop = resolve;
    });
    this.finished = this.run(streams);
  }

  /**
   * Stops fetching. A read in flight still completes (end it early with
   * `StreamReader.unblock`); what it returns is released to the group.
   */
  stop(): void {
    this.running = false;
    this.signalStop();
  }

  /** Settles once the loop has ended after `stop()`. */
  whenStopped(): Promise<void> {
    return this.finished;
  }

  private async run(streams: readonly string[]): Promise<void> {
    const { concurrency, scheduler, reader, group, consumer, acks } =
      this.options;
    while (this.running) {
      await Promise.race([scheduler.whenBelow(concurrency), this.stopSignal]);
      // Slots that come free in one turn (handlers of one read finish
      // together) are filled by one read at its end, which also carries
      // their acks.
      this.aboutToRead = true;
      await nextTurn();
      this.aboutToRead = false;
      if (!this.running) {
        acks.flush();
        return;
      }
      // Acks already on their way over the other connection land first,
      // so the group never holds more of our entries than we have slots.
      await Promise.race([acks.whenSent(), this.stopSignal]);
      if (!this.running) {
        acks.flush();
        return;
      }
      try {
        const count = this.readCount(streams.length);
        const batches = await reader.read(group, consumer, streams, count, {
          batch: acks.take(),
          onAckLost: (stream, ids) => acks.resend(stream, ids),
        });
        this.failures = 0;
        if (!this.running) {
          // Read while close() began: leave them to the other consumers.
          await this.release(batches);
          return;
        }
        this.dispatchAll(batches);
      } catch (error) {
        await this.afterFailure(streams, error);
      }
    }
  }

  /**
   * Backpressure: read about as many entries as there are free slots.
   * Every read names every stream, so a quiet stream's BLOCK never holds up
   * a busy one. COUNT applies per stream, so with fewer free slots than
   * streams one read may take up to `streams - 1` entries more than the
   * free slots; they wait in the scheduler, and the concurrency limit on
   * handlers still holds.
   */
  private readCount(streams: number): number {
    const { concurrency, scheduler } = this.options;
    const free = Math.max(1, concurrency - scheduler.pending);
    return Math.max(1, Math.floor(free / streams));
  }

  private dispatchAll(batches: readonly StreamBatch[]): void {
    const { groups, dispatcher } = this.options;
    for (const { stream, entries } of batches) {
      if (entries.length === 0) {
        continue;
      }
      // A read returns a stream's entries in id order: the last is newest.
      groups.noteSeen(stream, entries[entries.length - 1].id);
      for (const entry of entries) {
        dispatcher.dispatch(stream, entry, 1);
      }
    }
  }

  private async afterFailure(
    streams: readonly string[],
    error: unknown,
  ): Promise<void> {
    if (!this.running) {
      return;
    }
    let failure = error;
    if (isNoGroup(error)) {
      try {
        await this.options.groups.recover(streams);
        return;
      } catch (recoveryError) {
        failure = recoveryError;
      }
    }
    this.failures += 1;
    const delay = Math.min(MAX_READ_BACKOFF_MS, 100 * 2 ** (this.failures - 1));
    this.options.logger.error(
      `reading for group ${this.options.group} failed ` +
        `(${this.failures} in a row), next try in ${delay} ms: ` +
        errorMessage(failure),
    );
    await Promise.race([sleep(delay), this.stopSignal]);
  }

  private async release(batches: readonly StreamBatch[]): Promise<void> {
    for (const { stream, entries } of batches) {
      const ids = entries.map((entry) => entry.id);
      try {
        await this.options.reclaimer.release(stream, ids);
      } catch (error) {
        this.options.logger.warn(
          `could not release ${ids.length} entries of ${stream} read during ` +
            'shutdown; they are reclaimed after ' +
            `${this.options.visibilityTimeoutMs} ms: ${errorMessage(error)}`,
        );
      }
    }
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
