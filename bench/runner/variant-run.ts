import { join } from 'node:path';
import type { PhaseReport } from '../child/child-protocol.js';
import type { SizeFigures, VariantRun } from '../model/results.types.js';
import type { WorkloadSpec } from '../model/workload.types.js';
import type { LoopResult } from '../workload/publish-loops.js';
import { perSecond } from '../workload/statistics.js';
import { ChildHandle } from './child-handle.js';
import { CHILD_ENTRIES } from './paths.js';
import { phaseTimeoutMs, type WorkloadPlan } from './workload-plan.js';

export interface RunFiles {
  readonly logDir: string;
  /**
   * When set, the burst of the first size (publisher) and its backlog
   * (consumer) are CPU-profiled into `<dir>/<role>.cpuprofile`.
   */
  readonly profileDir?: string;
}

/**
 * One variant, every size, in two processes: a publisher and a consumer.
 * Per size:
 *
 * 1. burst: the publisher sends `count` messages, `window` unconfirmed at
 *    a time, while the consumer is stopped (publish throughput);
 * 2. backlog: the consumer starts and handles them (consume throughput,
 *    first to last message, so its startup does not count);
 * 3. paced: with the consumer running, `latencyCount` messages at
 *    `latencyRate` (publish-to-handler latency); then the consumer stops.
 *
 * A pub/sub variant cannot hold a backlog: its consumer runs during the
 * burst and the consume figure is marked live.
 */
export async function runVariant(
  spec: WorkloadSpec,
  plan: WorkloadPlan,
  round: number,
  files: RunFiles,
): Promise<VariantRun> {
  const options = (role: 'publisher' | 'consumer') => ({
    entry: CHILD_ENTRIES.workload,
    role,
    spec,
    logFile: join(files.logDir, `${spec.namespace}.${role}.log`),
  });
  const started = await Promise.allSettled([
    ChildHandle.start(options('publisher')),
    ChildHandle.start(options('consumer')),
  ]);
  const children = started.flatMap((s) =>
    s.status === 'fulfilled' ? [s.value] : [],
  );
  try {
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
    const [publisher, consumer] = children;
    const live = await consumer.request<boolean>('live');
    await consumer.request('prepare', undefined, 60_000);
    await publisher.request('connect', undefined, 60_000);

    const sizes: SizeFigures[] = [];
    for (const [index, size] of plan.sizes.entries()) {
      const profileDir = index === 0 ? files.profileDir : undefined;
      sizes.push(
        await runSize({ publisher, consumer, plan, size, live, profileDir }),
      );
    }
    await publisher.request('close', undefined, 30_000);
    const [publisherUsage, consumerUsage] = await Promise.all([
      publisher.usage(),
      consumer.usage(),
    ]);
    return {
      transport: spec.transport,
      variant: spec.variant,
      round,
      sizes,
      publisher: publisherUsage,
      consumer: consumerUsage,
    };
  } finally {
    await Promise.allSettled(children.map((child) => child.stop()));
  }
}

interface SizeRun {
  readonly publisher: ChildHandle;
  readonly consumer: ChildHandle;
  readonly plan: WorkloadPlan;
  readonly size: number;
  readonly live: boolean;
  readonly profileDir?: string;
}

async function runSize(run: SizeRun): Promise<SizeFigures> {
  const { publisher, consumer, plan, size, live, profileDir } = run;
  const { count, latencyCount } = plan;
  const burstTag = `burst-${size}`;
  await consumer.request('expect', { tag: burstTag, count });
  if (live) {
    await consumer.request('start', undefined, 60_000);
  }
  await profileStart(publisher, profileDir);
  const sent = await publisher.request<LoopResult>(
    'burst',
    {
      tag: burstTag,
      size,
      count,
      window: plan.window,
      keys: plan.keys,
    },
    phaseTimeoutMs(count),
  );
  await profileStop(publisher, profileDir, 'publisher');
  if (!live) {
    await consumer.request('start', undefined, 60_000);
  }
  await profileStart(consumer, profileDir);
  const backlog = await awaitPhase(consumer, count, 'backlog');
  await profileStop(consumer, profileDir, 'consumer');

  const pacedTag = `paced-${size}`;
  await consumer.request('expect', { tag: pacedTag, count: latencyCount });
  const pacedRun = await publisher.request<LoopResult>(
    'paced',
    {
      tag: pacedTag,
      size,
      count: latencyCount,
      rate: plan.latencyRate,
      keys: plan.keys,
    },
    phaseTimeoutMs(latencyCount),
  );
  const latency = await awaitPhase(consumer, latencyCount, 'paced');
  await consumer.request('stop', undefined, 60_000);

  const intervals = Math.max(1, backlog.received - 1);
  return {
    size,
    publishPerSec: perSecond(count, sent.elapsedMs),
    consumePerSec: perSecond(intervals, backlog.elapsedMs),
    latencyP50Ms: latency.latencyP50Ms,
    latencyP99Ms: latency.latencyP99Ms,
    pacedPerSec: perSecond(latencyCount, pacedRun.elapsedMs),
    publishCpuUsPerMsg: sent.cpuUs / count,
    consumeCpuUsPerMsg: backlog.cpuUs / intervals,
    liveConsume: live,
  };
}

async function profileStart(
  child: ChildHandle,
  profileDir: string | undefined,
): Promise<void> {
  if (profileDir) {
    await child.request('profile-start');
  }
}

async function profileStop(
  child: ChildHandle,
  profileDir: string | undefined,
  role: string,
): Promise<void> {
  if (profileDir) {
    await child.request('profile-stop', {
      file: join(profileDir, `${role}.cpuprofile`),
    });
  }
}

async function awaitPhase(
  consumer: ChildHandle,
  count: number,
  phase: string,
): Promise<PhaseReport> {
  const timeoutMs = phaseTimeoutMs(count);
  const report = await consumer.request<PhaseReport>(
    'wait',
    { timeoutMs },
    timeoutMs + 10_000,
  );
  if (report.timedOut) {
    throw new Error(
      `${phase}: the consumer handled ${report.received} of ` +
        `${report.expected} messages in ${timeoutMs} ms`,
    );
  }
  return report;
}
