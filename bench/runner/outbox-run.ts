import { join } from 'node:path';
import type {
  OutboxRunArgs,
  OutboxRunReport,
} from '../child/outbox-relay.child.js';
import { describe } from '../child/command-server.js';
import { namespaceFor, outboxSchemaOf } from '../model/namespaces.js';
import type { OutboxResult } from '../model/results.types.js';
import type {
  BrokerEndpoints,
  TransportName,
  WorkloadSpec,
} from '../model/workload.types.js';
import type { BrokerModule } from '../transports/adapter.types.js';
import { dropSchemas } from '../transports/postgres/postgres.broker.js';
import { perSecond } from '../workload/statistics.js';
import { ChildHandle } from './child-handle.js';
import { CHILD_ENTRIES } from './paths.js';
import { phaseTimeoutMs, type WorkloadPlan } from './workload-plan.js';

export interface OutboxRunContext {
  readonly runId: string;
  readonly endpoints: BrokerEndpoints;
  readonly plan: WorkloadPlan;
  readonly logDir: string;
  /** Cleanup failures: reported, since they leave data behind. */
  readonly warn: (line: string) => void;
}

/**
 * The outbox relay into one transport, for every message size, in one
 * child process: rows per second from committed outbox row to broker
 * confirm. Nothing consumes meanwhile; the broker only has to accept.
 */
export async function runOutbox(
  transport: TransportName,
  broker: BrokerModule,
  context: OutboxRunContext,
): Promise<OutboxResult[]> {
  const spec: WorkloadSpec = {
    transport,
    variant: 'ours',
    namespace: namespaceFor(context.runId, transport, 'outbox'),
    endpoints: context.endpoints,
    concurrency: context.plan.concurrency,
  };
  const { sizes, outboxRows: rows } = context.plan;
  let child: ChildHandle | undefined;
  try {
    child = await ChildHandle.start({
      entry: CHILD_ENTRIES.outbox,
      role: 'outbox',
      spec,
      logFile: join(context.logDir, `${spec.namespace}.outbox.log`),
    });
    await child.request('prepare', undefined, 60_000);
    const reports: OutboxRunReport[] = [];
    for (const size of sizes) {
      const args: OutboxRunArgs = {
        size,
        rows,
        keys: context.plan.keys,
        timeoutMs: phaseTimeoutMs(rows),
      };
      reports.push(
        await child.request<OutboxRunReport>(
          'run',
          args,
          args.timeoutMs + 30_000,
        ),
      );
    }
    await child.request('close', undefined, 30_000);
    const usage = await child.usage();
    return reports.map((report, index) => ({
      transport,
      rows,
      size: sizes[index],
      rowsPerSec: perSecond(report.measuredRows, report.elapsedMs),
      cpuUsPerRow: report.cpuUs / Math.max(1, report.measuredRows),
      usage,
    }));
  } catch (error) {
    return sizes.map((size) => ({
      transport,
      rows,
      size,
      rowsPerSec: Number.NaN,
      cpuUsPerRow: Number.NaN,
      notMeasured: describe(error),
    }));
  } finally {
    await child?.stop();
    await cleanup(spec, broker, context.warn);
  }
}

async function cleanup(
  spec: WorkloadSpec,
  broker: BrokerModule,
  warn: (line: string) => void,
): Promise<void> {
  const results = await Promise.allSettled([
    broker.cleanup(spec),
    dropSchemas(spec.endpoints.databaseUrl, [outboxSchemaOf(spec)]),
  ]);
  for (const result of results) {
    if (result.status === 'rejected') {
      warn(`cleanup of ${spec.namespace} failed: ${describe(result.reason)}`);
    }
  }
}
