/**
 * Which messages of one partition's batch are finished, in any order, and
 * the highest offset below which every tracked message is finished: the
 * contiguous-done watermark. Only that may be committed, since a commit
 * acknowledges everything before it.
 */
export class PartitionProgress {
  private readonly offsets: bigint[] = [];
  private readonly finished = new Set<bigint>();
  /** Index in `offsets` of the first unfinished message. */
  private cursor = 0;

  /** Registers a message about to start; offsets must rise. */
  track(offset: string): void {
    const value = BigInt(offset);
    const last = this.offsets.at(-1);
    if (last !== undefined && value <= last) {
      throw new RangeError(`offset ${offset} does not follow ${last}`);
    }
    this.offsets.push(value);
  }

  finish(offset: string): void {
    this.finished.add(BigInt(offset));
    while (
      this.cursor < this.offsets.length &&
      this.finished.has(this.offsets[this.cursor])
    ) {
      this.cursor += 1;
    }
  }

  /**
   * The last offset of the finished prefix, or undefined while the first
   * tracked message is unfinished. Resolving it in kafkajs makes the next
   * fetch and the commit start right after it.
   */
  finishedThrough(): string | undefined {
    return this.cursor === 0
      ? undefined
      : String(this.offsets[this.cursor - 1]);
  }

  /** Whether every tracked message is finished. */
  get complete(): boolean {
    return this.cursor === this.offsets.length;
  }

  get size(): number {
    return this.offsets.length;
  }
}
