import {
  HeaderNames,
  parseDeadLetterHeaders,
  withoutDeadLetterHeaders,
  type DeadLetter,
  type DeadLetterListOptions,
  type DeadLetterStore,
} from '@mq/core';
import type { Redis } from 'ioredis';
import { KeyLayout } from './key-layout.js';
import {
  closeConnection,
  connectWithin,
  createConnection,
} from './redis-connection.js';
import { REDIS_STREAMS_DEFAULTS } from './redis-streams.constants.js';
import type { RedisStreamsConnectionOptions } from './redis-streams.options.js';
import { redriveScript } from './scripts/redrive.script.js';
import {
  compareIds,
  decodeEntry,
  encodeEntryFields,
  type StreamEntry,
} from './stream-entry.js';

export interface RedisStreamsDeadLetterStoreOptions extends RedisStreamsConnectionOptions {
  /** Whose dead letters: the store sees and redrives only this group's. */
  consumerGroup: string;
  /**
   * A connection to use instead of opening one; `close()` leaves it open.
   */
  connection?: Redis;
}

/** Entries read per XRANGE while scanning a dead-letter stream. */
const PAGE = 200;

interface Located {
  readonly dlq: string;
  readonly entry: StreamEntry;
  readonly letter: DeadLetter;
}

/**
 * The dead letters of one consumer group, kept in `<stream>:dlq` streams
 * (shared by all groups of a stream; each entry names its group). A dead
 * letter's id is `<dlq stream>/<entry id>`. Listing and counting scan the
 * dead-letter streams, which is fine for the small numbers a DLQ should
 * hold, not for millions.
 */
export class RedisStreamsDeadLetterStore implements DeadLetterStore {
  private readonly keys: KeyLayout;
  private readonly redis: Redis;
  private readonly ownsConnection: boolean;
  private readonly group: string;
  private readonly connectTimeoutMs: number;

  constructor(options: RedisStreamsDeadLetterStoreOptions) {
    if (!options.consumerGroup) {
      throw new TypeError(
        'RedisStreamsDeadLetterStore: consumerGroup is required',
      );
    }
    const defaults = REDIS_STREAMS_DEFAULTS;
    this.group = options.consumerGroup;
    this.keys = new KeyLayout(options.keyPrefix ?? defaults.keyPrefix);
    this.connectTimeoutMs =
      options.connectTimeoutMs ?? defaults.connectTimeoutMs;
    this.ownsConnection = !options.connection;
    this.redis =
      options.connection ??
      createConnection(options, `mq:dead-letters:${this.group}`);
  }

  async list(options: DeadLetterListOptions = {}): Promise<DeadLetter[]> {
    const limit = options.limit ?? 50;
    const found: Located[] = [];
    for (const dlq of await this.deadLetterStreams()) {
      const matches: Located[] = [];
      for await (const located of this.scan(dlq)) {
        if (this.matchesDestination(located.letter, options.destination)) {
          matches.push(located);
          if (matches.length >= limit) {
            break;
          }
        }
      }
      found.push(...matches);
    }
    return found
      .sort((a, b) => compareIds(a.entry.id, b.entry.id))
      .slice(0, limit)
      .map((located) => located.letter);
  }

  async count(): Promise<number> {
    let count = 0;
    for (const dlq of await this.deadLetterStreams()) {
      for await (const _ of this.scan(dlq)) {
        count += 1;
      }
    }
    return count;
  }

  async show(id: string): Promise<DeadLetter | undefined> {
    return (await this.locate(id))?.letter;
  }

  /**
   * XADDs the message back to its stream, for this group only and with a
   * fresh attempt count, and XDELs it from the dead letters, in one script.
   */
  async redrive(id: string): Promise<boolean> {
    const located = await this.locate(id);
    if (!located) {
      return false;
    }
    return this.redriveLocated(located);
  }

  async redriveAll(): Promise<number> {
    let count = 0;
    for (const dlq of await this.deadLetterStreams()) {
      for (const located of await this.collect(dlq)) {
        count += (await this.redriveLocated(located)) ? 1 : 0;
      }
    }
    return count;
  }

  async purge(): Promise<number> {
    let count = 0;
    for (const dlq of await this.deadLetterStreams()) {
      const ids = (await this.collect(dlq)).map((located) => located.entry.id);
      for (let i = 0; i < ids.length; i += PAGE) {
        count += await this.redis.xdel(dlq, ...ids.slice(i, i + PAGE));
      }
    }
    return count;
  }

  /** Closes the store's own connection, not one it was given. */
  async close(): Promise<void> {
    if (this.ownsConnection) {
      await closeConnection(this.redis);
    }
  }

  private async redriveLocated(located: Located): Promise<boolean> {
    const { dlq, entry, letter } = located;
    const stream = letter.metadata.originalDestination;
    if (!this.keys.patternOf(stream)) {
      throw new Error(
        `dead letter ${letter.id} names ${stream}, which is not a stream ` +
          `under prefix ${this.keys.prefix}`,
      );
    }
    const headers = withoutDeadLetterHeaders(entry.headers);
    delete headers[HeaderNames.attempt];
    delete headers[HeaderNames.firstFailedAt];
    const fields = encodeEntryFields(headers, entry.body, this.group);
    const moved = await redriveScript.run(
      this.redis,
      [dlq, stream],
      [entry.id, ...fields],
    );
    return Number(moved) === 1;
  }

  private async locate(id: string): Promise<Located | undefined> {
    const slash = id.lastIndexOf('/');
    const dlq = id.slice(0, slash);
    const entryId = id.slice(slash + 1);
    if (slash < 0 || !this.keys.isDeadLetterStream(dlq) || !entryId) {
      return undefined;
    }
    await this.ready();
    const raw = await this.redis.xrangeBuffer(dlq, entryId, entryId);
    const entry = raw.length > 0 ? decodeEntry(raw[0]) : undefined;
    return entry ? this.toLocated(dlq, entry) : undefined;
  }

  private async collect(dlq: string): Promise<Located[]> {
    const all: Located[] = [];
    for await (const located of this.scan(dlq)) {
      all.push(located);
    }
    return all;
  }

  /** This group's dead letters of one stream, oldest first. */
  private async *scan(dlq: string): AsyncGenerator<Located> {
    let start = '-';
    for (;;) {
      const page = await this.redis.xrangeBuffer(
        dlq,
        start,
        '+',
        'COUNT',
        PAGE,
      );
      for (const raw of page) {
        const entry = decodeEntry(raw);
        const located = entry && this.toLocated(dlq, entry);
        if (located) {
          yield located;
        }
      }
      if (page.length < PAGE) {
        return;
      }
      start = `(${String(page[page.length - 1][0])}`;
    }
  }

  private toLocated(dlq: string, entry: StreamEntry): Located | undefined {
    const metadata = parseDeadLetterHeaders(entry.headers);
    if (!metadata || metadata.consumerGroup !== this.group) {
      return undefined;
    }
    const headers = withoutDeadLetterHeaders(entry.headers);
    const letter: DeadLetter = {
      id: `${dlq}/${entry.id}`,
      messageId: headers[HeaderNames.id],
      type: headers[HeaderNames.type] ?? this.keys.patternOf(dlq.slice(0, -4)),
      key: headers[HeaderNames.key],
      headers,
      body: entry.body.toString('utf8'),
      metadata,
    };
    return { dlq, entry, letter };
  }

  private matchesDestination(
    letter: DeadLetter,
    destination?: string,
  ): boolean {
    if (destination === undefined) {
      return true;
    }
    const original = letter.metadata.originalDestination;
    return (
      original === destination || original === this.keys.stream(destination)
    );
  }

  private async deadLetterStreams(): Promise<string[]> {
    await this.ready();
    const keys = await this.redis.smembers(this.keys.deadLetterIndex);
    return keys.sort();
  }

  private async ready(): Promise<void> {
    if (this.ownsConnection) {
      await connectWithin(this.redis, this.connectTimeoutMs);
    }
  }
}
