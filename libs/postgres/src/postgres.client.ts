import { Logger } from '@nestjs/common';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  PublishesInFlight,
  ReliableClientProxy,
  type Envelope,
} from '@mq/core';
import type { Pool } from 'pg';
import {
  applicationNameFor,
  resolvePool,
} from './connection/postgres-connection.js';
import { PostgresDeadLetterStore } from './dead-letter/postgres-dead-letter.store.js';
import {
  CLIENT_APPLICATION_PREFIX,
  POSTGRES_DEFAULTS,
} from './postgres.constants.js';
import type { PostgresClientOptions } from './postgres-client.options.js';
import { InsertBatcher } from './publish/insert-batcher.js';
import { insertMessages } from './publish/insert-messages.js';
import { toQueueRows } from './publish/queue-row.js';
import { registerSubscriptions } from './schema/register-subscriptions.js';
import { runMigrations } from './schema/run-migrations.js';
import { QueueSchema } from './schema/queue-schema.js';

/**
 * Nest client proxy that publishes into the PostgreSQL queue tables. A
 * publish resolves once its INSERT has committed: the messages and one
 * delivery per subscribed consumer group are then durable.
 *
 * @example
 * const client = new PostgresClient({ connection: process.env.DATABASE_URL });
 * await client.publishEvent('order.created', order, { key: order.id });
 */
export class PostgresClient extends ReliableClientProxy {
  /** application_name of the client's sessions (pools it created). */
  readonly applicationName: string;
  private readonly logger = new Logger(PostgresClient.name);
  private readonly schema: QueueSchema;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly maxMessageBytes: number;
  private readonly migrate: boolean;
  private readonly subscriptions: Readonly<Record<string, readonly string[]>>;
  private readonly batcher: InsertBatcher;
  /** Publish calls not settled yet; close waits for them. */
  private readonly publishing = new PublishesInFlight();
  private ready?: Promise<void>;
  private closed = false;

  constructor(options: PostgresClientOptions) {
    super();
    this.schema = new QueueSchema(options);
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!(this.maxMessageBytes > 0)) {
      throw new RangeError(
        `PostgresClient: maxMessageBytes must be > 0, got ${this.maxMessageBytes}`,
      );
    }
    this.batcher = new InsertBatcher(
      async (rows) => {
        await insertMessages(this.pool, this.schema, rows);
      },
      {
        maxMessages: positiveInteger(
          'maxBatchMessages',
          options.maxBatchMessages ?? POSTGRES_DEFAULTS.maxBatchMessages,
        ),
        maxBytes: positiveInteger(
          'maxBatchBytes',
          options.maxBatchBytes ?? POSTGRES_DEFAULTS.maxBatchBytes,
        ),
        concurrency: positiveInteger(
          'maxConcurrentInserts',
          options.maxConcurrentInserts ??
            POSTGRES_DEFAULTS.maxConcurrentInserts,
        ),
      },
    );
    this.migrate = options.migrate ?? true;
    this.subscriptions = options.subscriptions ?? {};
    this.applicationName =
      options.applicationName ??
      applicationNameFor(CLIENT_APPLICATION_PREFIX, 'client');
    const resolved = resolvePool(
      options.connection,
      this.applicationName,
      (error) =>
        this.logger.warn(`idle pool connection failed: ${error.message}`),
    );
    this.pool = resolved.pool;
    this.ownsPool = resolved.owned;
  }

  /**
   * Creates the queue tables if needed and registers the declared
   * subscriptions; publishes call it on their own.
   */
  connect(): Promise<void> {
    if (this.closed) {
      return Promise.reject(new Error('PostgresClient is closed'));
    }
    this.ready ??= this.prepare().catch((error: unknown) => {
      // Let the next publish try again instead of failing forever.
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /**
   * Waits for publishes already made, then ends the pool, unless it is
   * one you passed in.
   */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.publishing.settled();
    await this.batcher.drained();
    if (this.ownsPool) {
      await this.pool.end();
    }
  }

  /** The `pg.Pool` the client publishes with. */
  unwrap<T>(): T {
    return this.pool as T;
  }

  /**
   * Inserts every envelope in one statement, with other calls' envelopes
   * if they came at the same time (group commit): all of a call are
   * published or none, and it resolves after their commit. Oversized or
   * unencodable envelopes fail before anything is sent.
   */
  async publishEnvelopes(envelopes: readonly Envelope[]): Promise<void> {
    const rows = toQueueRows(envelopes, this.maxMessageBytes);
    if (rows.length === 0) {
      return;
    }
    await this.publishing.track(
      this.connect().then(() => this.batcher.insert(rows)),
    );
  }

  /** Inspection and redrive of one consumer group's dead letters. */
  deadLetters(consumerGroup: string): PostgresDeadLetterStore {
    return new PostgresDeadLetterStore(this.pool, consumerGroup, {
      schema: this.schema.name,
      listenChannel: this.schema.channel,
    });
  }

  private async prepare(): Promise<void> {
    const schema = {
      schema: this.schema.name,
      listenChannel: this.schema.channel,
    };
    if (this.migrate) {
      await runMigrations(this.pool, schema);
    }
    for (const [group, patterns] of Object.entries(this.subscriptions)) {
      await registerSubscriptions(this.pool, group, patterns, schema);
    }
  }
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `PostgresClient: ${option} must be an integer >= 1, got ${value}`,
    );
  }
  return value;
}
