import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { errorMessage } from './error-message.js';
import { compareIds } from './stream-entry.js';

interface StreamState {
  readonly length: number;
  readonly lastGeneratedId: string;
  readonly firstEntryId?: string;
}

/**
 * Creates this server's consumer group on each stream (MKSTREAM, an existing
 * group is fine) and recreates it when it has disappeared: a Redis restarted
 * without persistence, a FLUSHALL, an XGROUP DESTROY. A recreated group
 * starts after the last entry this server read, or at the beginning when the
 * stream itself is new, and the gap is logged.
 */
export class ConsumerGroups {
  private readonly lastSeen = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly group: string,
    private readonly startFrom: 'beginning' | 'end',
    private readonly logger: Logger,
  ) {}

  /** Remembers the newest entry id read from a stream. */
  noteSeen(stream: string, id: string): void {
    const previous = this.lastSeen.get(stream);
    if (!previous || compareIds(id, previous) > 0) {
      this.lastSeen.set(stream, id);
    }
  }

  /** Startup: creates missing groups at the configured start. */
  async ensure(streams: readonly string[]): Promise<void> {
    const start = this.startFrom === 'end' ? '$' : '0';
    for (const stream of streams) {
      if (await this.create(stream, start)) {
        this.logger.log(
          `created consumer group ${this.group} on ${stream} ` +
            `(from the ${this.startFrom})`,
        );
      }
    }
  }

  /** After NOGROUP: recreates whichever groups are missing, logging gaps. */
  async recover(streams: readonly string[]): Promise<void> {
    for (const stream of streams) {
      const state = await this.streamState(stream);
      const position = this.recoveryPosition(stream, state);
      if (await this.create(stream, position)) {
        this.logger.warn(
          `consumer group ${this.group} on ${stream} had disappeared ` +
            '(Redis restarted without persistence, flushed, or the group ' +
            `was destroyed); recreated at ${position}. ` +
            this.describeGap(stream, state, position),
        );
      }
    }
  }

  /** True when the group was created, false when it existed. */
  private async create(stream: string, position: string): Promise<boolean> {
    try {
      await this.redis.xgroup(
        'CREATE',
        stream,
        this.group,
        position,
        'MKSTREAM',
      );
      return true;
    } catch (error) {
      if (errorMessage(error).startsWith('BUSYGROUP')) {
        return false;
      }
      throw error;
    }
  }

  private recoveryPosition(stream: string, state?: StreamState): string {
    const seen = this.lastSeen.get(stream);
    if (!state) {
      return '0';
    }
    if (!seen) {
      return this.startFrom === 'end' ? '$' : '0';
    }
    // A stream that restarted below what we saw is a new stream.
    return compareIds(state.lastGeneratedId, seen) < 0 ? '0' : seen;
  }

  private describeGap(
    stream: string,
    state: StreamState | undefined,
    position: string,
  ): string {
    const lost =
      'Entries the old group had delivered but not acknowledged are no ' +
      'longer tracked and will not be reclaimed';
    if (!state) {
      return (
        `${lost}; the stream was gone too, so entries published before ` +
        'its loss and not yet handled are lost.'
      );
    }
    const seen = this.lastSeen.get(stream) ?? 'nothing';
    const held =
      state.length === 0
        ? 'the stream is empty'
        : `the stream holds ${state.length} entries from ${state.firstEntryId}`;
    const skipped =
      position === '0'
        ? 'every entry it holds is delivered (again)'
        : `entries up to ${position} are not delivered again`;
    return `${lost}; last entry read here: ${seen}; ${held}; ${skipped}.`;
  }

  private async streamState(stream: string): Promise<StreamState | undefined> {
    let reply: unknown;
    try {
      reply = await this.redis.xinfo('STREAM', stream);
    } catch (error) {
      if (/no such key/i.test(errorMessage(error))) {
        return undefined;
      }
      throw error;
    }
    const fields = new Map<string, unknown>();
    const list = reply as unknown[];
    for (let i = 0; i + 1 < list.length; i += 2) {
      fields.set(list[i] as string, list[i + 1]);
    }
    const first = fields.get('first-entry') as [string] | null | undefined;
    return {
      length: Number(fields.get('length') ?? 0),
      lastGeneratedId: (fields.get('last-generated-id') as string) ?? '0-0',
      firstEntryId: first?.[0],
    };
  }
}
