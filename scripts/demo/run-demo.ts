import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrokerNamespace } from './broker-namespace.js';
import type { CleanupStack } from './cleanup-stack.js';
import { dropSchemas, openDemoDatabase } from './demo-database.js';
import type { DemoOptions } from './demo-options.js';
import { demoProgress, type DemoProgress } from './demo-progress.js';
import { buildReport, type DemoReport } from './demo-report.js';
import { driveOrders } from './order-driver.js';
import { expectationOf, planOrders } from './order-plan.js';
import { publishPoison } from './publish-poison.js';
import { SagaSystem } from './saga-system.js';
import { waitUntilSettled, type SettleResult } from './settle-waiter.js';
import { readOrderStats } from './system-stats.js';
import { formatJson, formatSummary } from './summary-printer.js';
import {
  assertBrokerReachable,
  transportFromEnv,
  withoutCredentials,
} from './transport-choice.js';

/** What the demo run needs from its caller besides the options. */
export interface DemoContext {
  readonly cleanup: CleanupStack;
  /** Aborted by Ctrl-C. */
  readonly signal: AbortSignal;
  /** Where the services of the run are, once they exist (for Ctrl-C). */
  onSystem?(system: SagaSystem): void;
}

/** `demo_<time>_<random>`: what MQ_NAMESPACE accepts, new for each run. */
function runNamespace(): string {
  const random = randomBytes(3).toString('hex');
  return `demo_${Date.now().toString(36)}_${random}`;
}

/** Progress messages go to stderr: stdout is the summary's. */
function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Schemas the three services create for a namespace. */
const SERVICE_SCHEMAS = ['orders', 'payments', 'notifications'];

/**
 * One demo run: database, broker, the three services, the orders, the
 * wait, the summary. Everything started is registered with
 * `context.cleanup`, which the caller runs at the end, on error and on
 * Ctrl-C. Returns the report; printing it is part of the run.
 */
export async function runDemo(
  options: DemoOptions,
  context: DemoContext,
): Promise<DemoReport> {
  const startedAt = Date.now();
  const { cleanup, signal } = context;

  const transport = transportFromEnv();
  const namespace = runNamespace();
  await assertBrokerReachable(transport);
  const logDir = mkdtempSync(join(tmpdir(), 'mq-demo-'));
  say(`Logs of this run: ${logDir}`);

  const database = await openDemoDatabase(
    process.env,
    join(logDir, 'postgres.log'),
  );
  cleanup.push('stop the embedded PostgreSQL', () => database.stop());
  const databaseLabel = database.embedded
    ? 'embedded PostgreSQL'
    : `PostgreSQL at ${withoutCredentials(database.url)}`;
  say(
    `Database: ${databaseLabel}; transport: ${transport.name} ` +
      `(${transport.address}); namespace: ${namespace}`,
  );
  if (!database.embedded && !options.keep) {
    cleanup.push('drop the schemas of the run', () =>
      dropSchemas(
        database.url,
        SERVICE_SCHEMAS.map((schema) => `${namespace}_${schema}`),
      ),
    );
  }

  const system = await SagaSystem.create({
    databaseUrl: database.url,
    transport,
    namespace,
    logDir,
    serviceEnv: {
      'payment-service': {
        PAYMENT_TRANSIENT_FAILURE_RATE: String(options.transientFailureRate),
      },
    },
  });
  context.onSystem?.(system);
  cleanup.push('stop the services', () => system.stop());
  say('Starting order-service, payment-service, notification-service ...');
  await system.startAll();
  say(
    `Services up: order-service ${system.url('order-service')}, ` +
      `payment-service ${system.url('payment-service')}, ` +
      `notification-service ${system.url('notification-service')}`,
  );

  const broker = await BrokerNamespace.open(transport, namespace, database.url);
  if (!options.keep) {
    cleanup.push('delete the broker data of the run', () => broker.teardown());
  }
  // Cleanup runs last-in first-out: the services stop (again; stopping
  // twice is harmless) before their topics, queues or tables go.
  cleanup.push('stop the services', () => system.stop());
  if (options.poison > 0) {
    const sent = await publishPoison(
      options.poison,
      { transport, namespace, databaseUrl: database.url },
      broker,
    );
    say(
      `Sent ${options.poison} poison messages: ${sent.invalidPayload} ` +
        `order.created with an invalid payload, ${sent.notJson} with a ` +
        'body that is not JSON',
    );
  }

  const plan = planOrders(options.orders, options.seed);
  const expectation = expectationOf(plan);
  say(
    `Placing ${options.orders} orders, ${options.concurrency} at a time ` +
      `(${expectation.cancelled} will be declined by the payment rule)`,
  );
  const progress = demoProgress(options.orders, signal);
  const sagaStartedAt = Date.now();
  let result: SettleResult;
  try {
    await driveWithFinalProgress(system, progress, signal, () =>
      driveOrders(plan, {
        orderServiceUrl: system.url('order-service'),
        concurrency: options.concurrency,
        onPlaced: (placed) => progress.sent(placed),
        signal,
      }),
    );
    result = await waitUntilSettled(system, {
      orders: options.orders,
      poison: options.poison,
      timeoutMs: options.timeoutSeconds * 1000,
      onProgress: (final) => progress.final(final),
      signal,
    });
  } finally {
    progress.stop();
  }
  const sagaMs = Date.now() - sagaStartedAt;

  const report = buildReport({
    transport: transport.name,
    namespace,
    expectation,
    poison: options.poison,
    stats: result.stats,
    settled: result.settled,
    timeoutMs: options.timeoutSeconds * 1000,
    sagaMs,
    elapsedMs: Date.now() - startedAt,
  });
  const location = { logDir, database: databaseLabel };
  process.stdout.write(formatSummary(report, location));
  if (options.json) {
    process.stdout.write(formatJson(report, location));
  }
  return report;
}

/**
 * Runs the drive while a side loop moves the "final" bar, so both bars
 * advance together.
 */
async function driveWithFinalProgress(
  system: SagaSystem,
  progress: DemoProgress,
  signal: AbortSignal,
  drive: () => Promise<unknown>,
): Promise<void> {
  const driven = new AbortController();
  let pollError: unknown;
  const poll = (async () => {
    while (!driven.signal.aborted && !signal.aborted) {
      try {
        progress.final((await readOrderStats(system)).finalized);
      } catch (error) {
        // The drive fails too when order-service is gone; its error is
        // the one to show, this one only when the drive succeeded.
        pollError = error;
        return;
      }
      await sleep(250);
    }
  })();
  try {
    await drive();
  } finally {
    driven.abort();
    await poll;
  }
  if (pollError !== undefined) {
    throw new Error('reading order stats failed', { cause: pollError });
  }
}
