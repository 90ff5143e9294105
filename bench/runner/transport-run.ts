import { describe } from '../child/command-server.js';
import { namespaceFor } from '../model/namespaces.js';
import type {
  CeilingResult,
  TransportResult,
  VariantRun,
  VariantSummary,
} from '../model/results.types.js';
import {
  VARIANTS,
  type BrokerEndpoints,
  type TransportName,
  type VariantName,
  type WorkloadSpec,
} from '../model/workload.types.js';
import type { BrokerModule } from '../transports/adapter.types.js';
import { loadBroker } from '../transports/broker-registry.js';
import { guaranteeOf } from '../transports/guarantees.js';
import { absentVariant } from '../transports/variant-registry.js';
import { runOutbox } from './outbox-run.js';
import { summarizeRuns } from './summarize-runs.js';
import { runVariant } from './variant-run.js';
import type { WorkloadPlan } from './workload-plan.js';

export interface TransportRunContext {
  readonly runId: string;
  readonly endpoints: BrokerEndpoints;
  readonly plan: WorkloadPlan;
  readonly logDir: string;
  /** Progress lines (stderr), so stdout keeps only the results. */
  readonly log: (line: string) => void;
  readonly ceilings: boolean;
  readonly outbox: boolean;
  readonly ceilingCount: number;
}

/**
 * Everything measured for one transport: its variants, interleaved round
 * by round in a rotating order (raw, ours, nest; then ours, nest, raw; ...)
 * so that a noisy stretch of the machine hits each of them; then the
 * broker's ceiling and the outbox relay. Each variant run has its own
 * names and is cleaned up right after.
 */
export async function runTransport(
  transport: TransportName,
  context: TransportRunContext,
): Promise<TransportResult> {
  let broker: BrokerModule;
  try {
    broker = await loadBroker(transport);
  } catch (error) {
    return unmeasured(transport, '?', `cannot load: ${describe(error)}`);
  }
  let address: string;
  try {
    address = await broker.probe(context.endpoints);
  } catch (error) {
    return unmeasured(
      transport,
      'unreachable',
      `broker unreachable: ${describe(error)}`,
    );
  }
  context.log(`${transport}: ${address}`);

  const variants = await measureVariants(transport, broker, context);
  const ceiling = context.ceilings
    ? await measureCeiling(transport, broker, context)
    : undefined;
  let outbox;
  if (context.outbox) {
    context.log(`${transport}: outbox relay`);
    outbox = await runOutbox(transport, broker, {
      runId: context.runId,
      endpoints: context.endpoints,
      plan: context.plan,
      logDir: context.logDir,
      warn: context.log,
    });
  }
  return { transport, broker: address, variants, ceiling, outbox };
}

async function measureVariants(
  transport: TransportName,
  broker: BrokerModule,
  context: TransportRunContext,
): Promise<VariantSummary[]> {
  const present = VARIANTS.filter((v) => !absentVariant(transport, v));
  const runs = new Map<VariantName, VariantRun[]>(present.map((v) => [v, []]));
  const failures = new Map<VariantName, string>();
  const { rounds } = context.plan;
  for (let round = 0; round < rounds; round += 1) {
    for (const variant of rotate(present, round)) {
      if (failures.has(variant)) {
        continue;
      }
      const spec: WorkloadSpec = {
        transport,
        variant,
        namespace: namespaceFor(context.runId, transport, `${variant}${round}`),
        endpoints: context.endpoints,
        concurrency: context.plan.concurrency,
      };
      context.log(`${transport}: ${variant}, round ${round + 1} of ${rounds}`);
      try {
        runs.get(variant)?.push(
          await runVariant(spec, context.plan, round, {
            logDir: context.logDir,
          }),
        );
      } catch (error) {
        failures.set(variant, describe(error));
        context.log(
          `${transport}: ${variant} not measured: ${describe(error)}`,
        );
      } finally {
        await cleanupQuietly(broker, spec, context.log);
      }
    }
  }
  return VARIANTS.map((variant) => {
    const absent = absentVariant(transport, variant);
    return summarizeRuns(
      transport,
      variant,
      guaranteeOf(transport, variant),
      runs.get(variant) ?? [],
      absent ?? failures.get(variant),
    );
  });
}

async function measureCeiling(
  transport: TransportName,
  broker: BrokerModule,
  context: TransportRunContext,
): Promise<CeilingResult | undefined> {
  if (!broker.ceiling) {
    return undefined;
  }
  context.log(`${transport}: broker ceiling`);
  const namespace = namespaceFor(context.runId, transport, 'ceiling');
  try {
    return await broker.ceiling({
      endpoints: context.endpoints,
      namespace,
      sizes: context.plan.sizes,
      count: context.ceilingCount,
      clients: context.plan.window,
    });
  } catch (error) {
    return { transport, tool: '?', sizes: [], notMeasured: describe(error) };
  } finally {
    await cleanupQuietly(
      broker,
      {
        transport,
        variant: 'raw',
        namespace,
        endpoints: context.endpoints,
        concurrency: 1,
      },
      context.log,
    );
  }
}

async function cleanupQuietly(
  broker: BrokerModule,
  spec: WorkloadSpec,
  log: (line: string) => void,
): Promise<void> {
  try {
    await broker.cleanup(spec);
  } catch (error) {
    // Reported, not fatal: the names are unique, so leftovers harm nothing
    // but the disk; the line says what to delete.
    log(`cleanup of ${spec.namespace} failed: ${describe(error)}`);
  }
}

/** The variants in the order of a round: shifted by one each round. */
function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = round % Math.max(1, items.length);
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function unmeasured(
  transport: TransportName,
  broker: string,
  reason: string,
): TransportResult {
  return { transport, broker, variants: [], notMeasured: reason };
}
