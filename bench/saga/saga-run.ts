import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerNamespace } from '../../scripts/demo/broker-namespace.js';
import { dropSchemas } from '../../scripts/demo/demo-database.js';
import { driveOrders } from '../../scripts/demo/order-driver.js';
import { planOrders } from '../../scripts/demo/order-plan.js';
import {
  SERVICE_NAMES,
  serviceEntry,
} from '../../scripts/demo/repository-paths.js';
import { SagaSystem } from '../../scripts/demo/saga-system.js';
import { waitUntilSettled } from '../../scripts/demo/settle-waiter.js';
import { readOrderStats } from '../../scripts/demo/system-stats.js';
import { transportChoice } from '../../scripts/demo/transport-choice.js';
import { describe } from '../child/command-server.js';
import { namespaceFor } from '../model/namespaces.js';
import type { ProcessUsage, SagaResult } from '../model/results.types.js';
import type {
  BrokerEndpoints,
  TransportName,
} from '../model/workload.types.js';
import { REPOSITORY_ROOT } from '../runner/paths.js';
import { perSecond } from '../workload/statistics.js';
import { childUsage } from './service-usage.js';

/** Schemas the services create, as `<namespace>_<schema>`. */
const SERVICE_SCHEMAS = ['orders', 'payments', 'notifications'];

export interface SagaRunContext {
  readonly runId: string;
  readonly endpoints: BrokerEndpoints;
  readonly orders: number;
  readonly concurrency: number;
  readonly logDir: string;
  readonly log: (line: string) => void;
}

/**
 * The order saga through the three services over one transport, with the
 * demo runner's own modules: services as processes on the bench's
 * brokers, orders placed over HTTP (no transient payment failures, so
 * this is the happy path), then wait until every order is final.
 * Orders per second count from the first POST to the settled state; the
 * latency percentiles are order-service's own, placed to final.
 */
export async function runSaga(
  transport: TransportName,
  context: SagaRunContext,
): Promise<SagaResult> {
  const missing = SERVICE_NAMES.filter(
    (name) => !existsSync(serviceEntry(name)),
  );
  if (missing.length > 0) {
    return unmeasured(
      transport,
      context.orders,
      `services not built (${missing.join(', ')}); run npm run build`,
    );
  }
  const namespace = namespaceFor(context.runId, transport, 'saga');
  const logDir = join(context.logDir, namespace);
  mkdirSync(logDir, { recursive: true });
  const env = {
    ...process.env,
    DATABASE_URL: context.endpoints.databaseUrl,
    KAFKA_BROKERS: context.endpoints.kafkaBrokers.join(','),
    RABBITMQ_URL: context.endpoints.rabbitmqUrl,
    REDIS_URL: context.endpoints.redisUrl,
  };
  const choice = transportChoice(transport, env);
  let system: SagaSystem | undefined;
  let broker: BrokerNamespace | undefined;
  try {
    context.log(`${transport}: saga, starting the three services`);
    system = await SagaSystem.start({
      databaseUrl: context.endpoints.databaseUrl,
      transport: choice,
      namespace,
      logDir,
      serviceEnv: {
        'payment-service': { PAYMENT_TRANSIENT_FAILURE_RATE: '0' },
      },
    });
    broker = await BrokerNamespace.open(
      choice,
      namespace,
      context.endpoints.databaseUrl,
    );
    const plan = planOrders(context.orders);
    const started = performance.now();
    await driveOrders(plan, {
      orderServiceUrl: system.url('order-service'),
      concurrency: context.concurrency,
    });
    const settled = await waitUntilSettled(system, {
      orders: context.orders,
      poison: 0,
      timeoutMs: 60_000 + context.orders * 200,
      pollIntervalMs: 50,
    });
    const elapsedMs = performance.now() - started;
    if (!settled.settled) {
      throw new Error(
        `${settled.stats.orders.finalized} of ${context.orders} orders ` +
          `final after ${Math.round(settled.waitedMs / 1000)} s`,
      );
    }
    const services = serviceUsage();
    const stats = await readOrderStats(system);
    return {
      transport,
      orders: context.orders,
      ordersPerSec: perSecond(context.orders, elapsedMs),
      latencyP50Ms: stats.latencyMs.p50 ?? Number.NaN,
      latencyP99Ms: stats.latencyMs.p99 ?? Number.NaN,
      services,
      note: staleness(),
    };
  } catch (error) {
    return unmeasured(transport, context.orders, describe(error));
  } finally {
    await system?.stop();
    await cleanup(broker, context, namespace);
  }
}

async function cleanup(
  broker: BrokerNamespace | undefined,
  context: SagaRunContext,
  namespace: string,
): Promise<void> {
  try {
    await broker?.teardown();
    await dropSchemas(
      context.endpoints.databaseUrl,
      SERVICE_SCHEMAS.map((schema) => `${namespace}_${schema}`),
    );
  } catch (error) {
    context.log(`cleanup of ${namespace} failed: ${describe(error)}`);
  }
}

function serviceUsage(): Record<string, ProcessUsage> {
  const usage: Record<string, ProcessUsage> = {};
  for (const name of SERVICE_NAMES) {
    const figures = childUsage(`dist/apps/${name}/main.js`);
    if (figures) {
      usage[name] = figures;
    }
  }
  return usage;
}

/**
 * The services run from dist/: a note when a bundle is older than the
 * newest source file of the apps and libs, since the figures are then
 * those of older code. Undefined when the bundles are current.
 */
function staleness(): string | undefined {
  const built = Math.min(
    ...SERVICE_NAMES.map((name) => statSync(serviceEntry(name)).mtimeMs),
  );
  const newest = Math.max(
    newestSource(join(REPOSITORY_ROOT, 'apps')),
    newestSource(join(REPOSITORY_ROOT, 'libs')),
  );
  const minutes = Math.round((newest - built) / 60_000);
  return minutes > 0
    ? `dist/ is ${minutes} min older than the newest source; npm run build`
    : undefined;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.ts') && !file.includes('node_modules')) {
      newest = Math.max(newest, statSync(join(dir, file)).mtimeMs);
    }
  }
  return newest;
}

function unmeasured(
  transport: TransportName,
  orders: number,
  reason: string,
): SagaResult {
  return {
    transport,
    orders,
    ordersPerSec: Number.NaN,
    latencyP50Ms: Number.NaN,
    latencyP99Ms: Number.NaN,
    services: {},
    notMeasured: reason,
  };
}
