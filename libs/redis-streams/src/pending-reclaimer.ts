import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { decodeEntry, entryIdOf, type StreamEntry } from './stream-entry.js';

/** An entry taken over from another consumer, with its delivery count. */
export interface ReclaimedEntry {
  readonly entry: StreamEntry;
  /** Times Redis has delivered this entry, this claim included. */
  readonly deliveries: number;
}

/**
 * Ownership of pending entries within the group:
 *
 * - `claim` takes over entries another consumer read but neither
 *   acknowledged nor kept alive within the visibility timeout (it crashed,
 *   or its process hangs), with XAUTOCLAIM. Entries deleted or trimmed
 *   while pending (XAUTOCLAIM's third reply element in Redis 7, empty
 *   entries in 6.2) are acknowledged and skipped, with a warning.
 * - `extend` resets the idle time of entries this consumer is working on,
 *   so a slow handler keeps its entries however long it takes.
 * - `release` makes entries this consumer will not handle (read while it
 *   was shutting down) claimable by the others at once.
 */
export class PendingReclaimer {
  private readonly cursors = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly group: string,
    private readonly consumer: string,
    private readonly visibilityTimeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Claims up to `limit` idle entries of `stream` for this consumer.
   * `isLocal` tells entries this server is already working on (a slow
   * handler); they are claimed (which resets their idle time) but not
   * returned, so they do not run twice here.
   */
  async claim(
    stream: string,
    limit: number,
    isLocal: (id: string) => boolean,
  ): Promise<ReclaimedEntry[]> {
    const reply = (await this.redis.callBuffer(
      'xautoclaim',
      stream,
      this.group,
      this.consumer,
      this.visibilityTimeoutMs,
      this.cursors.get(stream) ?? '0-0',
      'COUNT',
      limit,
    )) as [Buffer, unknown[], Buffer[]?];
    const [cursor, rawEntries, deletedIds = []] = reply;
    this.cursors.set(stream, cursor.toString('utf8'));

    const entries: StreamEntry[] = [];
    const deleted = deletedIds.map(String);
    for (const raw of rawEntries) {
      const entry = decodeEntry(raw);
      if (entry) {
        entries.push(entry);
      } else {
        deleted.push(entryIdOf(raw) ?? '');
      }
    }
    await this.skipDeleted(stream, deleted.filter(Boolean));

    const fresh = entries.filter((entry) => !isLocal(entry.id));
    if (fresh.length === 0) {
      return [];
    }
    const counts = await this.deliveryCounts(stream, fresh);
    return fresh.map((entry) => ({
      entry,
      deliveries: counts.get(entry.id) ?? 2,
    }));
  }

  /** XCLAIM JUSTID to ourselves: resets idle time, not delivery counts. */
  async extend(stream: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      await this.redis.xclaim(
        stream,
        this.group,
        this.consumer,
        0,
        ...ids,
        'JUSTID',
      );
    }
  }

  /** Sets the entries' idle time to the visibility timeout. */
  async release(stream: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      await this.redis.call(
        'xclaim',
        stream,
        this.group,
        this.consumer,
        0,
        ...ids,
        'IDLE',
        this.visibilityTimeoutMs,
        'JUSTID',
      );
    }
  }

  private async skipDeleted(stream: string, ids: string[]): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    await this.redis.xack(stream, this.group, ...ids);
    this.logger.warn(
      `acknowledged and skipped ${ids.length} pending ` +
        `${ids.length === 1 ? 'entry' : 'entries'} of ${stream}, ` +
        'deleted or trimmed before being handled ' +
        `(group ${this.group}): ${ids.join(', ')}`,
    );
  }

  private async deliveryCounts(
    stream: string,
    entries: readonly StreamEntry[],
  ): Promise<Map<string, number>> {
    const ids = entries.map((entry) => entry.id);
    // One range query over the claimed ids; it may also list entries this
    // consumer holds in between, which the map lookup ignores.
    const rows = (await this.redis.xpending(
      stream,
      this.group,
      ids[0],
      ids[ids.length - 1],
      ids.length * 2 + 100,
      this.consumer,
    )) as Array<[string, string, number, number]>;
    return new Map(rows.map(([id, , , count]) => [id, count]));
  }
}
