import { keyed } from '@mq/core';
import {
  PostgresClient,
  PostgresServer,
  registerSubscriptions,
  runMigrations,
} from '@mq/postgres';
import pg from 'pg';
import type { WorkloadSpec } from '../../model/workload.types.js';
import { ClientProxyPublisher } from '../../nest/client-proxy.publisher.js';
import { NestAppConsumer } from '../../nest/nest-app.consumer.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';

export const PATTERN = 'bench.event';
export const CONSUMER_GROUP = 'bench';

/** The project's PostgreSQL transport, through Nest, with its defaults. */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  return new ClientProxyPublisher(
    createEnvelopePublisher(spec),
    PATTERN,
    (key, payload) => keyed(key, payload),
  );
}

export function createEnvelopePublisher(spec: WorkloadSpec): PostgresClient {
  return new PostgresClient({
    connection: spec.endpoints.databaseUrl,
    schema: spec.namespace,
  });
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  return new NestAppConsumer({
    pattern: PATTERN,
    reliable: true,
    // The group must exist before the backlog is published: a group only
    // gets messages published after it subscribed.
    prepare: () => subscribeAhead(spec),
    microservice: () => ({
      strategy: new PostgresServer({
        connection: spec.endpoints.databaseUrl,
        consumerGroup: CONSUMER_GROUP,
        schema: spec.namespace,
        concurrency: spec.concurrency,
      }),
    }),
  });
}

async function subscribeAhead(spec: WorkloadSpec): Promise<void> {
  const pool = new pg.Pool({
    connectionString: spec.endpoints.databaseUrl,
    max: 1,
  });
  try {
    await runMigrations(pool, { schema: spec.namespace });
    await registerSubscriptions(pool, CONSUMER_GROUP, [PATTERN], {
      schema: spec.namespace,
    });
  } finally {
    await pool.end();
  }
}
