import type { ReliableServerOptions } from '@mq/core';
import type { RedisOptions } from 'ioredis';

/**
 * How streams are trimmed on every XADD. Trimming is approximate (`~`), so
 * Redis cuts whole radix-tree nodes and may keep a few more entries than
 * asked. It drops entries whether or not every group has read them.
 */
export type StreamTrimOptions =
  | {
      /** Keep about the newest `maxLength` entries (XADD MAXLEN ~). */
      readonly strategy: 'maxlen';
      readonly maxLength: number;
    }
  | {
      /** Drop entries older than `maxAgeMs` (XADD MINID ~ now - age). */
      readonly strategy: 'minid';
      readonly maxAgeMs: number;
    };

/** Options shared by the server, the client and the dead-letter store. */
export interface RedisStreamsConnectionOptions {
  /**
   * Redis URL; credentials in it are never logged.
   * @default 'redis://127.0.0.1:6379'
   */
  url?: string;
  /**
   * Extra ioredis options (TLS, password, sentinels). The transport sets
   * its own `connectionName`, `lazyConnect` and, for the reading connection,
   * the offline queue and blocking timeout.
   */
  redis?: RedisOptions;
  /**
   * Prefix of every key: `<prefix>:stream:<pattern>`, `<prefix>:retry`, ...
   * Wrap it in braces (`{orders}`) to keep all keys in one cluster slot.
   * @default 'mq'
   */
  keyPrefix?: string;
  /**
   * How long `listen()` / `connect()` wait for Redis to be ready, in ms.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * A command left unanswered this long means the connection is dead
   * without having said so (a half-open socket): it is dropped and opened
   * again. Does not apply to the blocking read, which has its own limit.
   * @default 10000
   */
  socketTimeoutMs?: number;
}

/** Options of `RedisStreamsServer`. */
export interface RedisStreamsServerOptions
  extends ReliableServerOptions, RedisStreamsConnectionOptions {
  /**
   * This server's consumer name inside the group. Give each running
   * instance its own; a restarted instance with a new name leaves its old
   * pending entries to be reclaimed after `visibilityTimeoutMs`.
   * @default `<hostname>-<pid>-<random>`
   */
  consumerName?: string;
  /**
   * Base of the Redis client names of this server's connections
   * (`<name>:reader`, `<name>:commands`), as CLIENT LIST shows them.
   * @default `mq:<consumerGroup>:<consumerName>`
   */
  connectionName?: string;
  /** XREADGROUP BLOCK time in ms. @default 5000 */
  blockMs?: number;
  /**
   * Idle time after which an unacknowledged entry of another consumer (one
   * that crashed or whose process hangs) is reclaimed with XAUTOCLAIM, in
   * ms. A live server keeps the entries it is handling fresh every
   * `claimIntervalMs`, so this bounds how long a crash delays messages,
   * not how long a handler may take.
   * @default 60000
   */
  visibilityTimeoutMs?: number;
  /**
   * How often entries in flight are kept fresh and idle entries of others
   * reclaimed, in ms. Must be below `visibilityTimeoutMs`.
   * @default 5000
   */
  claimIntervalMs?: number;
  /** How often due retries are moved back to their streams, in ms. @default 500 */
  retryPollIntervalMs?: number;
  /** Most retries moved by one script run. @default 100 */
  retryMoveBatch?: number;
  /**
   * Where a group that does not exist yet starts: `beginning` delivers what
   * the stream already holds, `end` only what is published after.
   * @default 'beginning'
   */
  startFrom?: 'beginning' | 'end';
  /** Trimming applied when a retry is written back to its stream. */
  trim?: StreamTrimOptions;
}

/** Options of `RedisStreamsClient`. */
export interface RedisStreamsClientOptions extends RedisStreamsConnectionOptions {
  /** Trimming applied on every publish; none by default. */
  trim?: StreamTrimOptions;
  /** Body size limit in bytes. @default 262144 (DEFAULT_MAX_MESSAGE_BYTES) */
  maxMessageBytes?: number;
  /**
   * After each publish, WAIT for this many replicas to acknowledge the
   * writes; the publish fails if fewer do within `timeoutMs`. Narrows, but
   * does not close, the window in which a failover loses acknowledged
   * messages (replication stays asynchronous). Off by default.
   */
  waitForReplicas?: { readonly replicas: number; readonly timeoutMs: number };
  /**
   * Client name of the publishing connection, as CLIENT LIST shows it.
   * @default 'mq:client'
   */
  connectionName?: string;
}
