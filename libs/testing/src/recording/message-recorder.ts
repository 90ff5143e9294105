import type { MessageContext } from '@mq/core';

/** One handler run as a test sees it. */
export interface RecordedMessage {
  readonly id: string;
  readonly type: string;
  readonly key: string;
  readonly payload: unknown;
  readonly occurredAt: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly attempt: number;
  readonly consumerGroup: string;
  readonly destination: string;
  /** The label of the server that ran the handler ("a", "b", ...). */
  readonly handledBy: string;
  /** `Date.now()` when it was recorded. */
  readonly at: number;
}

interface Waiter {
  readonly ready: () => boolean;
  readonly wake: () => void;
}

/**
 * Collects the messages handlers saw, so a test asserts on what was
 * handled instead of on calls to a mock. Handlers call `record(context)`;
 * tests `await recorder.waitFor(n)`. Waiting is event based: every record
 * re-checks the waiters, so a test resumes as soon as its condition holds.
 */
export class MessageRecorder {
  private readonly entries: RecordedMessage[] = [];
  private readonly waiters = new Set<Waiter>();

  /** Everything recorded so far, in recording order. */
  get all(): readonly RecordedMessage[] {
    return this.entries;
  }

  get count(): number {
    return this.entries.length;
  }

  record(context: MessageContext, handledBy = 'server'): RecordedMessage {
    const envelope = context.getEnvelope();
    const delivery = context.getDelivery();
    const entry: RecordedMessage = {
      id: envelope.id,
      type: envelope.type,
      key: envelope.key,
      payload: envelope.payload,
      occurredAt: envelope.occurredAt,
      headers: envelope.headers,
      attempt: delivery.attempt,
      consumerGroup: delivery.consumerGroup,
      destination: delivery.destination,
      handledBy,
      at: Date.now(),
    };
    this.entries.push(entry);
    for (const waiter of this.waiters) {
      if (waiter.ready()) {
        waiter.wake();
      }
    }
    return entry;
  }

  /** Entries for one message id, in the order they were recorded. */
  byId(id: string): RecordedMessage[] {
    return this.entries.filter((entry) => entry.id === id);
  }

  /** Distinct message ids recorded so far. */
  ids(): Set<string> {
    return new Set(this.entries.map((entry) => entry.id));
  }

  /**
   * Resolves with the entries once at least `count` have been recorded;
   * rejects after `timeoutMs` saying how many arrived.
   */
  waitFor(count: number, timeoutMs = 10_000): Promise<RecordedMessage[]> {
    return this.waitUntil(
      (entries) => entries.length >= count,
      `${count} handled message(s)`,
      timeoutMs,
    );
  }

  /** Resolves once every id in `ids` has been recorded at least once. */
  waitForIds(
    ids: Iterable<string>,
    timeoutMs = 10_000,
  ): Promise<RecordedMessage[]> {
    const wanted = [...ids];
    return this.waitUntil(
      () => {
        const seen = this.ids();
        return wanted.every((id) => seen.has(id));
      },
      `all of ${wanted.length} message id(s)`,
      timeoutMs,
    );
  }

  /**
   * Resolves once `condition` holds for the entries; `expected` says in
   * the timeout error what was waited for.
   */
  waitUntil(
    condition: (entries: readonly RecordedMessage[]) => boolean,
    expected: string,
    timeoutMs = 10_000,
  ): Promise<RecordedMessage[]> {
    if (condition(this.entries)) {
      return Promise.resolve([...this.entries]);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        ready: () => condition(this.entries),
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve([...this.entries]);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(this.timeoutMessage(expected, timeoutMs)));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private timeoutMessage(expected: string, timeoutMs: number): string {
    const seen = this.ids();
    const sample = [...seen].slice(0, 10).join(', ');
    return (
      `waited ${timeoutMs} ms for ${expected}; ${this.entries.length} ` +
      `handler run(s) recorded for ${seen.size} distinct message(s)` +
      (sample ? ` (${sample}${seen.size > 10 ? ', ...' : ''})` : '')
    );
  }
}
