import {
  DEFAULT_MAX_MESSAGE_BYTES,
  PublishesInFlight,
  ReliableClientProxy,
  toWireMessage,
  type Envelope,
  type TransportHealth,
} from '@mq/core';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { KeyLayout } from './key-layout.js';
import {
  closeConnection,
  connectWithin,
  createConnection,
  describe,
  watchConnection,
} from './redis-connection.js';
import { REDIS_STREAMS_DEFAULTS } from './redis-streams.constants.js';
import type { RedisStreamsClientOptions } from './redis-streams.options.js';
import { PublishBatcher } from './publish-batcher.js';
import { encodeEntryFields } from './stream-entry.js';
import { trimArguments, validateTrim } from './stream-trim.js';

/**
 * Nest client proxy that publishes events with XADD to
 * `<prefix>:stream:<pattern>`. A publish resolves once Redis has appended
 * every entry to memory (and to its AOF, when enabled, under its fsync
 * policy); see the README for what that does and does not survive.
 */
export class RedisStreamsClient extends ReliableClientProxy {
  private readonly logger = new Logger(RedisStreamsClient.name);
  private readonly keys: KeyLayout;
  private readonly redis: Redis;
  private readonly maxMessageBytes: number;
  private readonly batcher: PublishBatcher;
  private readonly connectTimeoutMs: number;
  private connecting: Promise<void> | undefined;
  /** Publishes between their call and their answer; close waits for them. */
  private readonly publishing = new PublishesInFlight();

  constructor(options: RedisStreamsClientOptions = {}) {
    super();
    const defaults = REDIS_STREAMS_DEFAULTS;
    this.keys = new KeyLayout(options.keyPrefix ?? defaults.keyPrefix);
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const trim = options.trim;
    validateTrim(trim);
    this.connectTimeoutMs =
      options.connectTimeoutMs ?? defaults.connectTimeoutMs;
    this.redis = createConnection(
      options,
      options.connectionName ?? 'mq:client',
    );
    watchConnection(this.redis, 'publishing', this.logger);
    this.batcher = new PublishBatcher(
      this.redis,
      () => trimArguments(trim),
      options.waitForReplicas,
    );
  }

  /** Resolves once Redis is ready; Nest calls it before every emit. */
  connect(): Promise<void> {
    this.connecting ??= connectWithin(this.redis, this.connectTimeoutMs).catch(
      (error: unknown) => {
        this.connecting = undefined;
        throw error;
      },
    );
    return this.connecting;
  }

  /**
   * Lets the publishes already called get their answer (waiting at most
   * `connectTimeoutMs` for them), then quits. They wait for the end of the
   * turn's pipeline (see PublishBatcher): a QUIT sent at once would go out
   * in front of their XADDs and fail them.
   */
  async close(): Promise<void> {
    await this.publishesSettled();
    this.connecting = undefined;
    await closeConnection(this.redis);
  }

  /** The ioredis connection. */
  unwrap<T>(): T {
    return this.redis as T;
  }

  health(): TransportHealth {
    const where = `redis ${describe(this.redis)}`;
    return this.redis.status === 'ready'
      ? { status: 'up', detail: where }
      : { status: 'down', detail: `${where}: ${this.redis.status}` };
  }

  /**
   * XADDs every envelope and resolves when Redis accepted them all.
   * Encoding (and the size limit) is checked for every envelope before
   * anything is written. Publishes made in the same turn of the event loop
   * share one pipeline (see `PublishBatcher`); each still settles on its
   * own replies. A publish interrupted by a dropped connection is sent
   * again after the reconnect, so it may be stored twice: consumers
   * deduplicate by message id.
   */
  async publishEnvelopes(envelopes: readonly Envelope[]): Promise<void> {
    if (envelopes.length === 0) {
      return;
    }
    const entries = envelopes.map((envelope) => {
      const wire = toWireMessage(envelope, this.maxMessageBytes);
      return {
        envelope,
        stream: this.keys.stream(envelope.type),
        fields: encodeEntryFields(wire.headers, wire.body),
      };
    });
    await this.publishing.track(
      this.connect().then(() => this.batcher.publish(entries)),
    );
  }

  private async publishesSettled(): Promise<void> {
    if (!(await this.publishing.settled(this.connectTimeoutMs))) {
      this.logger.warn(
        `closing with ${this.publishing.size} publish(es) unanswered after ` +
          `${this.connectTimeoutMs} ms; they fail with the connection`,
      );
    }
  }
}
