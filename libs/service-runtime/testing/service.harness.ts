/**
 * Test support shared by the three services' integration tests: boots one
 * service in-process on its own namespace of the test database.
 */
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  MESSAGING_TRANSPORT,
  SafeConsoleLogger,
  startService,
  type MessagingTransport,
  type RunningService,
} from '@mq/service-runtime';
import { dropSchema, testDatabaseUrl, uniqueName } from '@mq/testing';
import pg from 'pg';

/** Delivery of one message to the service's group, as the queue shows it. */
export interface DeliveryRow {
  readonly status: string;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** A service booted in-process on its own namespace of the test database. */
export interface ServiceHarness {
  readonly namespace: string;
  readonly running: RunningService;
  readonly transport: MessagingTransport;
  /** A pool of the test's own, for the checks a user would run in psql. */
  readonly db: pg.Pool;
  /** Quoted `"<namespace>_<schema>"."<table>"`. */
  table(schema: string, table: string): string;
  delivery(messageId: string): Promise<DeliveryRow | undefined>;
  /** Makes a handled message pending again, as a crash before the ack would. */
  redeliver(messageId: string): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Prefix of the unique namespace. */
  readonly prefix: string;
  /** Service name, which is its consumer group. */
  readonly group: string;
  /** Base names of the schemas to drop afterwards, besides `mq`. */
  readonly schemas: readonly string[];
  /** More environment, e.g. the payment gateway's settings. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Boots `rootModule` the way main.ts does, configured through the
 * environment like a deployed service, on port 0 with short retry delays.
 * One harness per test file: the environment is the process's.
 */
export async function startServiceHarness(
  rootModule: Type,
  options: HarnessOptions,
): Promise<ServiceHarness> {
  const url = testDatabaseUrl();
  const namespace = uniqueName(options.prefix);
  Object.assign(process.env, {
    MQ_TRANSPORT: 'postgres',
    DATABASE_URL: url,
    MQ_NAMESPACE: namespace,
    MQ_MAX_ATTEMPTS: '3',
    MQ_RETRY_INITIAL_DELAY_MS: '20',
    MQ_RETRY_MAX_DELAY_MS: '100',
    ...options.env,
  });
  // Retries and dead letters are expected here, and Nest logs each with a
  // stack; SERVICE_LOGS=1 shows them when a test needs explaining.
  const app = await NestFactory.create(rootModule, {
    logger: process.env.SERVICE_LOGS
      ? new SafeConsoleLogger({ logLevels: ['log', 'warn', 'error'] })
      : false,
    abortOnError: false,
  });
  const running = await startService(app, {
    port: 0,
    host: '127.0.0.1',
    shutdownHooks: false,
  }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  const db = new pg.Pool({ connectionString: url, max: 2 });
  const mq = `"${namespace}_mq"`;
  const group = options.group;

  return {
    namespace,
    running,
    transport: app.get<MessagingTransport>(MESSAGING_TRANSPORT),
    db,
    table: (schema, table) => `"${namespace}_${schema}"."${table}"`,
    async delivery(messageId) {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT d.status, d.attempts, d.last_error_message AS "lastError"
           FROM ${mq}.deliveries d
           JOIN ${mq}.messages m ON m.id = d.message_id
          WHERE m.message_id = $1 AND d.consumer_group = $2`,
        [messageId, group],
      );
      return rows[0];
    },
    async redeliver(messageId) {
      await db.query(
        `UPDATE ${mq}.deliveries d
            SET status = 'pending', available_at = now(),
                leased_by = NULL, leased_until = NULL
           FROM ${mq}.messages m
          WHERE m.id = d.message_id AND m.message_id = $1
            AND d.consumer_group = $2`,
        [messageId, group],
      );
      // Wakes the server now instead of at its next poll.
      await db.query('SELECT pg_notify($1, $2)', [
        `${namespace}_mq_messages`,
        group,
      ]);
    },
    async close() {
      await app.close();
      await db.end();
      for (const schema of [...options.schemas, 'mq']) {
        await dropSchema(url, `${namespace}_${schema}`);
      }
    },
  };
}
