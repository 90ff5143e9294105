/** The acks to send for the handled deliveries of one channel. */
export interface AckBatch<T> {
  /** Ack this one with `multiple`: it and every delivery before it. */
  readonly upTo: T | undefined;
  /** Ack these one by one: an unfinished delivery comes before them. */
  readonly single: readonly T[];
  /** Handled deliveries the batch settles. */
  readonly count: number;
}

interface Entry<T> {
  item: T;
  handled: boolean;
}

/**
 * The state of every unsettled delivery of one channel, by delivery tag,
 * so that handled ones can be acked together. A `multiple` ack settles
 * every delivery up to its tag, so it is used only for a run of handled
 * deliveries with nothing unfinished before it; handled deliveries after
 * an unfinished one are acked one by one, so a slow handler never holds
 * back the acks (and so the prefetch window) of the others.
 *
 * Every delivery of the channel must be `received` here first: a
 * delivery this ledger does not know could be acked by a `multiple` ack.
 */
export class AckLedger<T> {
  /** Unsettled deliveries; a Map keeps insertion order, the tag order. */
  private readonly entries = new Map<number, Entry<T>>();
  private readonly handled: number[] = [];

  /** Handled deliveries whose ack has not been taken yet. */
  get waiting(): number {
    return this.handled.length;
  }

  /** Unsettled deliveries, handled or not. */
  get size(): number {
    return this.entries.size;
  }

  received(tag: number, item: T): void {
    this.entries.set(tag, { item, handled: false });
  }

  /**
   * The delivery's handler finished (or its copy was confirmed); `item`
   * replaces the one given on receipt. False for a tag this ledger does
   * not hold, which the caller must ack on its own.
   */
  markHandled(tag: number, item: T): boolean {
    const entry = this.entries.get(tag);
    if (!entry) {
      return false;
    }
    if (!entry.handled) {
      entry.handled = true;
      this.handled.push(tag);
    }
    entry.item = item;
    return true;
  }

  /**
   * The delivery was settled another way (nacked): it no longer blocks a
   * `multiple` ack. The nack must reach the channel before that ack does.
   */
  forget(tag: number): void {
    this.entries.delete(tag);
  }

  /** The acks to send now for everything handled so far. */
  take(): AckBatch<T> {
    let upTo: T | undefined;
    let upToTag = 0;
    let count = 0;
    for (const [tag, entry] of this.entries) {
      if (!entry.handled) {
        break;
      }
      upTo = entry.item;
      upToTag = tag;
      count += 1;
      this.entries.delete(tag);
    }
    const single: T[] = [];
    for (const tag of this.handled) {
      const entry = tag > upToTag ? this.entries.get(tag) : undefined;
      if (entry) {
        single.push(entry.item);
        this.entries.delete(tag);
      }
    }
    this.handled.length = 0;
    return { upTo, single, count: count + single.length };
  }
}
