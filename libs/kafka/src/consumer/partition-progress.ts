/**
 * Which messages of one partition's batch are finished, in any order, and
 * the highest offset below which every tracked message is finished: the
 * contiguous-done watermark. Only that may be committed, since a commit
 * acknowledges everything before it.
 *
 * Messages are known by the position `track` returned, so the per-message
 * work is an array write; offsets stay strings (Kafka's are 64-bit).
 */
export class PartitionProgress {
  private readonly offsets: string[] = [];
  private readonly finished: boolean[] = [];
  /** Position of the first unfinished message. */
  private cursor = 0;

  /** Registers a message about to start; offsets must rise. */
  track(offset: string): number {
    const last = this.offsets.at(-1);
    if (last !== undefined && !isAfter(offset, last)) {
      throw new RangeError(`offset ${offset} does not follow ${last}`);
    }
    this.finished.push(false);
    return this.offsets.push(offset) - 1;
  }

  /** Marks the message at `position` (from `track`) finished. */
  finish(position: number): void {
    this.finished[position] = true;
    while (this.cursor < this.offsets.length && this.finished[this.cursor]) {
      this.cursor += 1;
    }
  }

  /**
   * The last offset of the finished prefix, or undefined while the first
   * tracked message is unfinished. Resolving it in kafkajs makes the next
   * fetch and the commit start right after it.
   */
  finishedThrough(): string | undefined {
    return this.cursor === 0 ? undefined : this.offsets[this.cursor - 1];
  }

  /** Whether every tracked message is finished. */
  get complete(): boolean {
    return this.cursor === this.offsets.length;
  }

  get size(): number {
    return this.offsets.length;
  }
}

/** Compares canonical decimal offsets (no sign, no leading zeros). */
function isAfter(offset: string, previous: string): boolean {
  return offset.length === previous.length
    ? offset > previous
    : offset.length > previous.length;
}
