import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BLOCK_GRACE_MS } from './redis-streams.constants.js';
import { decodeEntry, type StreamEntry } from './stream-entry.js';

/** Acks a read sends in front of itself, and where the lost ones go. */
export interface CarriedAcks {
  readonly batch: ReadonlyMap<string, string[]>;
  /** Sent again elsewhere: XACK is idempotent. */
  readonly onAckLost: (stream: string, ids: readonly string[]) => void;
}

const NO_ACKS: CarriedAcks = {
  batch: new Map(),
  onAckLost: () => undefined,
};

/** What one read returned for one stream. */
export interface StreamBatch {
  readonly stream: string;
  readonly entries: StreamEntry[];
}

/**
 * XREADGROUP BLOCK on a connection of its own. ioredis does not settle a
 * blocked command whose connection dropped when unfulfilled commands are
 * not resent (and resending one that was given up on would deliver entries
 * nobody waits for), so the reader takes care of both itself:
 *
 * - the connection is created with `autoResendUnfulfilledCommands: false`
 *   and no offline queue, and a read is only issued while it is ready;
 * - a read races the connection's 'close' event and is abandoned on it;
 * - a socket that answers nothing for a block time plus a second (half
 *   open: the peer is gone and nobody said so) is destroyed by ioredis'
 *   `socketTimeout`, which ends the read like a drop; its `blockingTimeout`
 *   is a second net, after which the connection is recycled too.
 */
export class StreamReader {
  private clientId: number | undefined;
  private reading = false;

  constructor(
    private readonly redis: Redis,
    private readonly blockMs: number,
    private readonly logger: Logger,
  ) {
    redis.on('close', () => {
      this.clientId = undefined;
    });
  }

  /**
   * Connection options the reader relies on. A socket that carries no
   * answer for longer than a block is destroyed by ioredis (and so
   * reconnected); the blocking timeout behind it is a second net.
   */
  static connectionOptions(blockMs: number) {
    return {
      autoResendUnfulfilledCommands: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: null,
      socketTimeout: blockMs + BLOCK_GRACE_MS,
      // ioredis settles a read at BLOCK + this grace; after the socket timeout.
      blockingTimeout: blockMs + 2 * BLOCK_GRACE_MS,
      blockingTimeoutGrace: 2 * BLOCK_GRACE_MS,
    };
  }

  /**
   * Reads new entries for the group, at most `count` per stream. Resolves
   * with nothing after the block time, on a lost connection, or while the
   * connection is not ready (after waiting for it up to the block time).
   * Rejects with Redis errors such as NOGROUP.
   *
   * `acks` go out in front of the read, in the same write: Redis runs them
   * before it reads. Those that fail, or whose reply does not come (a
   * dropped connection), are handed to `onAckLost`.
   */
  async read(
    group: string,
    consumer: string,
    streams: readonly string[],
    count: number,
    acks: CarriedAcks = NO_ACKS,
  ): Promise<StreamBatch[]> {
    if (this.redis.status !== 'ready') {
      acks.batch.forEach((ids, stream) => acks.onAckLost(stream, ids));
      await this.readyOrTimeout();
      return [];
    }
    const started = Date.now();
    this.reading = true;
    const unconfirmed = new Map(acks.batch);
    try {
      this.clientId ??= await this.redis.client('ID');
      const args = [
        'GROUP',
        group,
        consumer,
        'COUNT',
        count,
        'BLOCK',
        this.blockMs,
        'STREAMS',
        ...streams,
        ...streams.map(() => '>'),
      ];
      const reply = await this.untilClosed(
        unconfirmed.size === 0
          ? this.redis.callBuffer('xreadgroup', ...args)
          : this.readAfterAcks(group, args, unconfirmed, acks.onAckLost),
      );
      if (reply === null) {
        await this.checkForSilentConnection(started);
        return [];
      }
      return parseReadReply(reply);
    } catch (error) {
      if (this.redis.status === 'ready') {
        throw error;
      }
      // The connection went away under the command: not a read failure.
      await this.readyOrTimeout();
      return [];
    } finally {
      this.reading = false;
      // Sent, but no reply: maybe not applied. Hand them back.
      unconfirmed.forEach((ids, stream) => acks.onAckLost(stream, ids));
    }
  }

  /**
   * Ends a blocked read at once (it returns as on timeout), from another
   * connection: used on shutdown so close() does not wait out the block.
   */
  async unblock(via: Redis): Promise<void> {
    if (this.reading && this.clientId !== undefined) {
      await via.client('UNBLOCK', this.clientId);
    }
  }

  /** One pipeline: the XACKs, then the XREADGROUP; its reply. */
  private async readAfterAcks(
    group: string,
    readArgs: Array<string | number>,
    unconfirmed: Map<string, string[]>,
    onAckLost: CarriedAcks['onAckLost'],
  ): Promise<unknown> {
    const pipeline = this.redis.pipeline();
    for (const [stream, ids] of unconfirmed) {
      pipeline.xack(stream, group, ...ids, (error?: Error | null) => {
        unconfirmed.delete(stream);
        if (error) {
          onAckLost(stream, ids);
        }
      });
    }
    pipeline.callBuffer('xreadgroup', ...readArgs);
    const results = (await pipeline.exec()) ?? [];
    const [error, reply] = results[results.length - 1] ?? [
      new Error('no reply to XREADGROUP'),
    ];
    if (error) {
      throw error;
    }
    return reply;
  }

  private untilClosed(command: Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const onClose = () => {
        this.logger.debug('connection lost during a blocking read');
        resolve(null);
      };
      this.redis.once('close', onClose);
      command.then(
        (reply) => {
          this.redis.off('close', onClose);
          resolve(reply);
        },
        (error: unknown) => {
          this.redis.off('close', onClose);
          reject(error);
        },
      );
    });
  }

  /**
   * A read that Redis left unanswered past its block time was settled by
   * the client-side timeout: the socket is likely dead without having said
   * so. Reconnect instead of writing the next read into it.
   */
  private async checkForSilentConnection(started: number): Promise<void> {
    const elapsed = Date.now() - started;
    if (
      this.redis.status === 'ready' &&
      elapsed >= this.blockMs + BLOCK_GRACE_MS
    ) {
      this.logger.warn(
        `blocking read unanswered after ${elapsed} ms; reconnecting`,
      );
      this.redis.disconnect(true);
      await this.readyOrTimeout();
    }
  }

  private readyOrTimeout(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, this.blockMs);
      this.redis.once('ready', done);
    });
  }
}

function parseReadReply(reply: unknown): StreamBatch[] {
  if (!Array.isArray(reply)) {
    return [];
  }
  return reply.map((item) => {
    const [stream, rawEntries] = item as [Buffer, unknown[]];
    const entries: StreamEntry[] = [];
    for (const raw of rawEntries ?? []) {
      const entry = decodeEntry(raw);
      if (entry) {
        entries.push(entry);
      }
    }
    return { stream: stream.toString('utf8'), entries };
  });
}
