import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from '../child/command-server.js';
import type { ProfileSummary } from '../model/bench-result.types.js';
import { namespaceFor } from '../model/namespaces.js';
import type {
  BrokerEndpoints,
  TransportName,
  VariantName,
  WorkloadSpec,
} from '../model/workload.types.js';
import type { BrokerModule } from '../transports/adapter.types.js';
import { summarizeCpuProfile } from '../profile/cpu-profile-summary.js';
import { loadBroker } from '../transports/broker-registry.js';
import { runVariant } from './variant-run.js';
import type { WorkloadPlan } from './workload-plan.js';

export interface ProfileContext {
  readonly runId: string;
  readonly endpoints: BrokerEndpoints;
  readonly plan: WorkloadPlan;
  readonly logDir: string;
  /** Profiles are kept here, one folder per transport and variant. */
  readonly profileDir: string;
  readonly log: (line: string) => void;
}

/**
 * Extra runs of the raw driver and of this project's variant of a
 * transport, at the first message size, with V8's CPU profiler on during
 * the burst (publisher) and the backlog (consumer). Their figures are not
 * reported (profiling slows a process down), only where the CPU time
 * went; the raw profile is the yardstick for ours.
 */
export async function profileTransport(
  transport: TransportName,
  context: ProfileContext,
): Promise<ProfileSummary[]> {
  const broker = await loadBroker(transport);
  const summaries: ProfileSummary[] = [];
  for (const variant of ['raw', 'ours'] as const) {
    summaries.push(
      ...(await profileVariant(transport, variant, broker, context)),
    );
  }
  return summaries;
}

async function profileVariant(
  transport: TransportName,
  variant: VariantName,
  broker: BrokerModule,
  context: ProfileContext,
): Promise<ProfileSummary[]> {
  const spec: WorkloadSpec = {
    transport,
    variant,
    namespace: namespaceFor(context.runId, transport, `prof${variant}`),
    endpoints: context.endpoints,
    concurrency: context.plan.concurrency,
  };
  const dir = join(context.profileDir, transport, variant);
  mkdirSync(dir, { recursive: true });
  context.log(`${transport}: profiling ${variant} (not counted)`);
  try {
    await runVariant(
      spec,
      { ...context.plan, sizes: context.plan.sizes.slice(0, 1) },
      0,
      { logDir: context.logDir, profileDir: dir },
    );
  } catch (error) {
    context.log(`${transport}: profiled run failed: ${describe(error)}`);
    return [];
  } finally {
    try {
      await broker.cleanup(spec);
    } catch (error) {
      context.log(`cleanup of ${spec.namespace} failed: ${describe(error)}`);
    }
  }
  return (['publisher', 'consumer'] as const).flatMap((role) => {
    const file = join(dir, `${role}.cpuprofile`);
    return existsSync(file)
      ? [{ transport, variant, role, file, ...summarizeCpuProfile(file) }]
      : [];
  });
}
