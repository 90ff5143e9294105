import { randomUUID } from 'node:crypto';
import { HeaderNames, type ReliableServer } from '@mq/core';
import type {
  KitClientOptions,
  KitServerOptions,
  TransportTestKit,
} from '@mq/testing';
import pg from 'pg';
import { PostgresDeadLetterStore } from '../src/dead-letter/postgres-dead-letter.store.js';
import { PostgresClient } from '../src/postgres.client.js';
import { PostgresServer } from '../src/postgres.server.js';
import { insertMessages } from '../src/publish/insert-messages.js';
import { isUuid } from '../src/publish/queue-row.js';
import { QueueSchema } from '../src/schema/queue-schema.js';
import { runMigrations } from '../src/schema/run-migrations.js';

/**
 * The PostgreSQL transport for the conformance suite: the namespace is the
 * schema. It reads the server from DATABASE_URL (the test global setup sets
 * it) and, like every kit, must not import Vitest: child processes load it.
 */
export function createTestKit(namespace: string): TransportTestKit {
  const schema = new QueueSchema({ schema: namespace });
  let pool: pg.Pool | undefined;
  const kitPool = (): pg.Pool => {
    if (!pool) {
      pool = new pg.Pool({
        connectionString: databaseUrl(),
        application_name: `mq-kit-${namespace}`.slice(0, 63),
        max: 4,
      });
      // An idle connection the server ends (a restart, a stop right after
      // teardown) is reported here; without a listener it would crash the
      // process. The next query opens a new connection.
      pool.on('error', (error) => {
        process.stderr.write(
          `postgres test kit: idle connection lost: ${error.message}\n`,
        );
      });
    }
    return pool;
  };

  return {
    name: 'postgres',
    namespace,
    features: { orderingByKey: true, requestReply: false },
    crashRecoveryOptions: { leaseMs: 1500, pollIntervalMs: 200 },

    async setup() {
      await runMigrations(kitPool(), { schema: namespace });
    },

    async teardown() {
      try {
        await kitPool().query(`DROP SCHEMA IF EXISTS ${schema.quoted} CASCADE`);
      } finally {
        await pool?.end();
        pool = undefined;
      }
    },

    createServer(options: KitServerOptions): ReliableServer {
      return new PostgresServer({
        ...options,
        connection: databaseUrl(),
        schema: namespace,
      });
    },

    createClient(options: KitClientOptions = {}) {
      return new PostgresClient({
        connection: databaseUrl(),
        schema: namespace,
        maxMessageBytes: options.maxMessageBytes,
      });
    },

    deadLetters(consumerGroup: string) {
      return new PostgresDeadLetterStore(kitPool(), consumerGroup, {
        schema: namespace,
      });
    },

    async publishRaw(type, headers, body) {
      const headerId = headers[HeaderNames.id];
      const messageId = headerId && isUuid(headerId) ? headerId : randomUUID();
      await insertMessages(kitPool(), schema, [
        {
          messageId,
          type,
          key: headers[HeaderNames.key] ?? messageId,
          headers,
          body,
        },
      ]);
    },

    async dropServerConnections(server: ReliableServer) {
      if (!(server instanceof PostgresServer)) {
        throw new TypeError('dropServerConnections needs a PostgresServer');
      }
      await kitPool().query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = $1 AND pid <> pg_backend_pid()`,
        [server.applicationName],
      );
    },
  };
}

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: run through the Vitest global setup',
    );
  }
  return url;
}
