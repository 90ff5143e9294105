import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { errorMessage } from './error-message.js';

/** Entry ids to acknowledge, per stream. */
export type AckBatch = Map<string, string[]>;

/**
 * Coalesces acknowledgements. Ids acked during one turn of the event loop
 * go out together at its end, one XACK per stream, instead of one command
 * (and one socket write) per entry. When the read loop is about to read in
 * that turn, it takes them instead (`take`) and sends them in front of its
 * XREADGROUP on the same connection: Redis runs them first, so the group
 * never has more entries pending for this consumer than it has slots, and
 * the ack costs neither a write nor a round trip of its own.
 *
 * An ack that fails leaves its entries pending: they are reclaimed after
 * the visibility timeout and delivered again (at least once).
 */
export class AckBatcher {
  private waiting: AckBatch = new Map();
  private readonly sending = new Set<Promise<void>>();
  private flushScheduled = false;

  /**
   * @param carrierWaiting true while a read that will carry the queued
   *   acks is about to go out; the end-of-turn flush leaves them to it.
   */
  constructor(
    private readonly redis: Redis,
    private readonly group: string,
    private readonly visibilityTimeoutMs: number,
    private readonly logger: Logger,
    private readonly carrierWaiting: () => boolean = () => false,
  ) {}

  /** Queues ids for acknowledgement; failures are logged here. */
  ack(stream: string, ids: readonly string[]): void {
    if (ids.length === 0) {
      return;
    }
    const queued = this.waiting.get(stream);
    if (queued) {
      queued.push(...ids);
    } else {
      this.waiting.set(stream, [...ids]);
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After the I/O callbacks of this turn: handlers of one read that
      // finish together share one XACK.
      setImmediate(() => {
        this.flushScheduled = false;
        if (!this.carrierWaiting()) {
          this.flush();
        }
      });
    }
  }

  /** Hands the queued acks to a read that sends them. */
  take(): AckBatch {
    const batch = this.waiting;
    this.waiting = new Map();
    return batch;
  }

  /** Sends the queued acks on the commands connection now. */
  flush(): void {
    for (const [stream, ids] of this.take()) {
      this.send(stream, ids);
    }
  }

  /**
   * Sends again, on the commands connection, acks that a read carried but
   * whose reply never came (the connection dropped): XACK is idempotent.
   */
  resend(stream: string, ids: readonly string[]): void {
    this.send(stream, ids);
  }

  /** Resolves once every ack sent so far has its reply. */
  async whenSent(): Promise<void> {
    while (this.sending.size > 0) {
      await Promise.all(this.sending);
    }
  }

  /** Sends what is queued and waits for every reply: for shutdown. */
  async settle(): Promise<void> {
    this.flush();
    await this.whenSent();
  }

  /** Logs an ack that failed; its entries stay pending. */
  private reportFailure(
    stream: string,
    ids: readonly string[],
    error: unknown,
  ): void {
    this.logger.error(
      `could not ack ${ids.length} entries of ${stream} (${ids.join(', ')}) ` +
        `for group ${this.group}: ${errorMessage(error)}; they stay ` +
        `pending and are reclaimed after ${this.visibilityTimeoutMs} ms`,
    );
  }

  private send(stream: string, ids: readonly string[]): void {
    const sent = this.redis.xack(stream, this.group, ...ids).then(
      () => undefined,
      (error: unknown) => this.reportFailure(stream, ids, error),
    );
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
  }
}
