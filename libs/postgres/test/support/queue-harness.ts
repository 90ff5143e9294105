import type { MessageContext } from '@mq/core';
import {
  eventually as sharedEventually,
  type TransportTestKit,
} from '@mq/testing';
import type { MessageHandler } from '@nestjs/microservices';
import pg from 'pg';
import { PostgresClient } from '../../src/postgres.client.js';
import type { PostgresClientOptions } from '../../src/postgres-client.options.js';
import { PostgresServer } from '../../src/postgres.server.js';
import type { PostgresServerOptions } from '../../src/postgres-server.options.js';
import { QueueSchema } from '../../src/schema/queue-schema.js';
import { createTestKit } from '../postgres.test-kit.js';

export type TestHandler = (
  payload: unknown,
  context: MessageContext,
) => unknown;

/** A delivery row as a test checks it. */
export interface DeliveryRow {
  consumer_group: string;
  status: string;
  attempts: number;
  available_at: Date;
  leased_by: string | null;
  leased_until: Date | null;
  first_failed_at: Date | null;
  last_failed_at: Date | null;
  last_error_name: string | null;
  last_error_message: string | null;
}

type ServerOverrides = Partial<Omit<PostgresServerOptions, 'consumerGroup'>> & {
  consumerGroup: string;
};

/**
 * One schema per test, plus the servers and clients the test starts and a
 * pool of its own to read the rows a user would look at.
 */
export class QueueHarness {
  readonly url: string;
  readonly kit: TransportTestKit;
  readonly schema: QueueSchema;
  readonly db: pg.Pool;
  private readonly closers: Array<() => Promise<unknown>> = [];

  constructor(namespace: string) {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error('DATABASE_URL is not set by the global setup');
    }
    this.url = url;
    this.kit = createTestKit(namespace);
    this.schema = new QueueSchema({ schema: namespace });
    this.db = new pg.Pool({ connectionString: url, max: 3 });
  }

  async setup(): Promise<void> {
    await this.kit.setup();
  }

  /** Closes what the test started, newest first, then drops the schema. */
  async teardown(): Promise<void> {
    try {
      for (const close of this.closers.toReversed()) {
        await close();
      }
    } finally {
      await this.db.end();
      await this.kit.teardown();
    }
  }

  /** A listening server with these event handlers. */
  async startServer(
    options: ServerOverrides,
    handlers: Record<string, TestHandler>,
  ): Promise<PostgresServer> {
    const server = new PostgresServer({
      connection: this.url,
      schema: this.schema.name,
      pollIntervalMs: 200,
      ...options,
      retry: { initialDelayMs: 20, jitter: 0, ...options.retry },
    });
    for (const [pattern, handler] of Object.entries(handlers)) {
      server.addHandler(pattern, handler as unknown as MessageHandler, true);
    }
    this.closers.push(() => server.close());
    await new Promise<void>((resolve, reject) => {
      server.listen((error?: unknown) => (error ? reject(error) : resolve()));
    });
    return server;
  }

  client(options: Partial<PostgresClientOptions> = {}): PostgresClient {
    const client = new PostgresClient({
      connection: this.url,
      schema: this.schema.name,
      ...options,
    });
    this.closers.push(() => client.close());
    return client;
  }

  /** Runs `close` at teardown, before the servers started earlier. */
  onTeardown(close: () => Promise<unknown>): void {
    this.closers.push(close);
  }

  async delivery(
    messageId: string,
    consumerGroup: string,
  ): Promise<DeliveryRow | undefined> {
    const result = await this.db.query<DeliveryRow>(
      `SELECT d.* FROM ${this.schema.deliveries} d
       JOIN ${this.schema.messages} m ON m.id = d.message_id
       WHERE m.message_id = $1 AND d.consumer_group = $2`,
      [messageId, consumerGroup],
    );
    return result.rows[0];
  }

  async count(sql: string, values: unknown[] = []): Promise<number> {
    const result = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${sql}`,
      values,
    );
    return result.rows[0].n;
  }
}

/**
 * The shared `eventually`, with this lib's tighter defaults: a local queue
 * answers within milliseconds, so 5 s and a 20 ms poll are plenty.
 */
export function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  return sharedEventually(check, timeoutMs, intervalMs);
}

/** A promise a test resolves by hand, to hold a handler mid-flight. */
export function gate(): { promise: Promise<void>; open: () => void } {
  const control = { open: (): void => undefined };
  const promise = new Promise<void>((resolve) => {
    control.open = resolve;
  });
  return { promise, open: () => control.open() };
}
