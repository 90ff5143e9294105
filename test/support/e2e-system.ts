import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseUrl, uniqueName } from '@mq/testing';
import pg from 'pg';
import { BrokerNamespace } from '../../scripts/demo/broker-namespace.js';
import { CleanupStack } from '../../scripts/demo/cleanup-stack.js';
import { dropSchemas } from '../../scripts/demo/demo-database.js';
import type { ServiceName } from '../../scripts/demo/repository-paths.js';
import { SagaSystem } from '../../scripts/demo/saga-system.js';
import {
  assertBrokerReachable,
  transportChoice,
  type DemoTransport,
  type TransportChoice,
} from '../../scripts/demo/transport-choice.js';

/** Variables every end-to-end run gives the services. */
const E2E_ENV: Readonly<Record<string, string>> = {
  MQ_RETRY_INITIAL_DELAY_MS: '50',
  MQ_RETRY_MAX_DELAY_MS: '500',
  // A killed consumer's messages come back within seconds, not a minute.
  MQ_LEASE_MS: '3000',
};

/** The three services of one test, with what the test needs around them. */
export interface E2eSystem {
  readonly system: SagaSystem;
  readonly transport: TransportChoice;
  readonly namespace: string;
  readonly databaseUrl: string;
  readonly logDir: string;
  /** A pool for the checks a user would run in psql. */
  readonly db: pg.Pool;
  /** `"<namespace>_<schema>"."<table>"`, for SQL. */
  table(schema: string, table: string): string;
  /**
   * Stops the services and deletes the run's data everywhere, and the
   * log folder unless `keepLogs`.
   */
  close(options?: { keepLogs?: boolean }): Promise<void>;
}

export interface E2eSystemOptions {
  /** Extra variables for one service. */
  readonly serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

/**
 * Starts order-, payment- and notification-service as processes over
 * `transportName`, on the test database, in a namespace of their own,
 * with the demo's own supervisor. Broker URLs come from KAFKA_BROKERS,
 * RABBITMQ_URL and REDIS_URL, defaulting to 127.0.0.1.
 */
export async function startE2eSystem(
  transportName: DemoTransport,
  options: E2eSystemOptions = {},
): Promise<E2eSystem> {
  const transport = transportChoice(transportName);
  await assertBrokerReachable(transport);
  const databaseUrl = testDatabaseUrl();
  const namespace = uniqueName(`e2e_${transportName.slice(0, 2)}`);
  const logDir = mkdtempSync(join(tmpdir(), `mq-e2e-${transportName}-`));
  const cleanup = new CleanupStack();
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  cleanup.push('close the pool', () => db.end());
  cleanup.push('drop the service schemas', () =>
    dropSchemas(
      databaseUrl,
      ['orders', 'payments', 'notifications'].map((s) => `${namespace}_${s}`),
    ),
  );

  try {
    const system = await SagaSystem.create({
      databaseUrl,
      transport,
      namespace,
      logDir,
      env: E2E_ENV,
      serviceEnv: options.serviceEnv,
    });
    cleanup.push('stop the services', () => system.stop());
    await system.startAll();
    const broker = await BrokerNamespace.open(
      transport,
      namespace,
      databaseUrl,
    );
    // After the services in the stack: torn down once they are stopped.
    cleanup.push('delete the broker data', () => broker.teardown());
    cleanup.push('stop the services first', () => system.stop());
    return {
      system,
      transport,
      namespace,
      databaseUrl,
      logDir,
      db,
      table: (schema, table) => `"${namespace}_${schema}"."${table}"`,
      async close({ keepLogs = false } = {}) {
        const failures = await cleanup.run();
        if (!keepLogs) {
          rmSync(logDir, { recursive: true, force: true });
        }
        if (failures.length > 0) {
          throw new Error(`cleanup failed: ${failures.join('; ')}`);
        }
      },
    };
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}
