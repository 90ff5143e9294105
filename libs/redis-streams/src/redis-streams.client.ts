import {
  DEFAULT_MAX_MESSAGE_BYTES,
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
import type {
  RedisStreamsClientOptions,
  StreamTrimOptions,
} from './redis-streams.options.js';
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
  private readonly trim: StreamTrimOptions | undefined;
  private readonly waitForReplicas: RedisStreamsClientOptions['waitForReplicas'];
  private readonly connectTimeoutMs: number;
  private connecting: Promise<void> | undefined;

  constructor(options: RedisStreamsClientOptions = {}) {
    super();
    const defaults = REDIS_STREAMS_DEFAULTS;
    this.keys = new KeyLayout(options.keyPrefix ?? defaults.keyPrefix);
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.trim = options.trim;
    validateTrim(this.trim);
    this.waitForReplicas = options.waitForReplicas;
    this.connectTimeoutMs =
      options.connectTimeoutMs ?? defaults.connectTimeoutMs;
    this.redis = createConnection(
      options,
      options.connectionName ?? 'mq:client',
    );
    watchConnection(this.redis, 'publishing', this.logger);
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

  async close(): Promise<void> {
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
   * XADDs every envelope in one pipeline and resolves when Redis accepted
   * them all. Encoding (and the size limit) is checked for every envelope
   * before anything is written. A publish interrupted by a dropped
   * connection is sent again after the reconnect, so it may be stored
   * twice: consumers deduplicate by message id.
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
    await this.connect();

    const pipeline = this.redis.pipeline();
    const trim = trimArguments(this.trim);
    for (const { stream, fields } of entries) {
      pipeline.xadd(stream, ...trim, '*', ...fields);
    }
    if (this.waitForReplicas) {
      const { replicas, timeoutMs } = this.waitForReplicas;
      pipeline.wait(replicas, timeoutMs);
    }
    const results = (await pipeline.exec()) ?? [];

    entries.forEach(({ envelope, stream }, i) => {
      const [error] = results[i] ?? [new Error('no reply')];
      if (error) {
        throw new Error(
          `publishing ${envelope.type} id=${envelope.id} to ${stream} ` +
            `failed: ${error.message}`,
          { cause: error },
        );
      }
    });
    this.checkReplicas(results[entries.length]);
  }

  private checkReplicas(result: [Error | null, unknown] | undefined): void {
    if (!this.waitForReplicas) {
      return;
    }
    const { replicas, timeoutMs } = this.waitForReplicas;
    const [error, acked] = result ?? [new Error('no reply'), 0];
    if (error || Number(acked) < replicas) {
      const got = error ? error.message : `${String(acked)} did`;
      throw new Error(
        `published, but WAIT ${replicas} replica(s) within ${timeoutMs} ms ` +
          `failed (${got}); the messages may be lost on failover`,
        { cause: error ?? undefined },
      );
    }
  }
}
