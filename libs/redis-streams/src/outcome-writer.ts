import {
  deadLetterHeaders,
  type DeadLetterMetadata,
  type ProcessOutcome,
} from '@mq/core';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { AckBatcher } from './ack-batcher.js';
import type { KeyLayout } from './key-layout.js';
import { deadLetterScript } from './scripts/dead-letter.script.js';
import { scheduleRetryScript } from './scripts/schedule-retry.script.js';
import { entryFields, type StreamEntry } from './stream-entry.js';

/**
 * Carries out what the processor decided for one entry. Every method
 * acknowledges the entry last, after the retry or dead letter it writes, in
 * the same script: a failure leaves the entry pending, to be reclaimed.
 *
 * A handled entry's ack is only queued: it goes out with the others of the
 * same turn (see `AckBatcher`), so `settle` resolves before Redis has it.
 * Until then the entry is pending, and a crash redelivers it.
 */
export class OutcomeWriter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeyLayout,
    private readonly group: string,
    private readonly acks: AckBatcher,
  ) {}

  /** Acks a handled entry, or stores its retry or dead letter and acks. */
  async settle(
    stream: string,
    entry: StreamEntry,
    outcome: ProcessOutcome,
  ): Promise<void> {
    if (outcome.kind === 'handled') {
      this.ack(stream, [entry.id]);
    } else if (outcome.kind === 'retry') {
      await this.scheduleRetry(
        stream,
        entry,
        outcome.retryHeaders,
        outcome.delayMs,
      );
    } else {
      await this.deadLetter(stream, entry, outcome.metadata);
    }
  }

  /** Queues the ids for acknowledgement; a failure is logged there. */
  ack(stream: string, ids: readonly string[]): void {
    this.acks.ack(stream, ids);
  }

  /**
   * Stores a copy of the entry with the retry headers, due in `delayMs`,
   * meant for this group only, and acknowledges the original.
   */
  async scheduleRetry(
    stream: string,
    entry: StreamEntry,
    retryHeaders: Record<string, string>,
    delayMs: number,
  ): Promise<void> {
    const retryId = randomUUID();
    const fields = entryFields(entry, retryHeaders, this.group);
    await scheduleRetryScript.run(
      this.redis,
      [this.keys.retrySchedule, this.keys.retryEntry(retryId), stream],
      [Date.now() + delayMs, retryId, this.group, entry.id, stream, ...fields],
    );
  }

  /** Appends the entry with its metadata to `<stream>:dlq`, then acks. */
  async deadLetter(
    stream: string,
    entry: StreamEntry,
    metadata: DeadLetterMetadata,
  ): Promise<void> {
    const fields = entryFields(entry, deadLetterHeaders(metadata));
    await deadLetterScript.run(
      this.redis,
      [this.keys.deadLetters(stream), this.keys.deadLetterIndex, stream],
      [this.group, entry.id, ...fields],
    );
  }
}
