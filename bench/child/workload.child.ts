/**
 * One side of a variant run, in a process of its own so its CPU time and
 * peak memory are its own: the publisher or the consumer of one variant
 * of one transport. The parent drives it with commands (see
 * runner/variant-run.ts).
 */
import 'reflect-metadata';
import type { WorkloadSpec } from '../model/workload.types.js';
import { loadVariant } from '../transports/variant-registry.js';
import { MessageTracker } from '../workload/message-tracker.js';
import {
  burst,
  paced,
  type BurstOptions,
  type PacedOptions,
} from '../workload/publish-loops.js';
import { quantile } from '../workload/statistics.js';
import {
  CHILD_ENV,
  type ChildRole,
  type PhaseReport,
} from './child-protocol.js';
import { serveCommands, type CommandHandlers } from './command-server.js';
import { WindowProfiler } from './window-profiler.js';

const spec = JSON.parse(process.env[CHILD_ENV.spec] ?? '') as WorkloadSpec;
const role = process.env[CHILD_ENV.role] as ChildRole;
const variant = await loadVariant(spec.transport, spec.variant);

const profiler = new WindowProfiler();

serveCommands({
  ...(role === 'publisher' ? publisherCommands() : consumerCommands()),
  'profile-start': () => profiler.start(),
  'profile-stop': (args) => profiler.stop((args as { file: string }).file),
});

function publisherCommands(): CommandHandlers {
  const publisher = variant.createPublisher(spec);
  const publish = (
    key: string,
    payload: Parameters<typeof publisher.publish>[1],
  ) => publisher.publish(key, payload);
  return {
    connect: () => publisher.connect(),
    burst: (args) => burst(publish, args as BurstOptions),
    paced: (args) => paced(publish, args as PacedOptions),
    close: () => publisher.close(),
  };
}

function consumerCommands(): CommandHandlers {
  const consumer = variant.createConsumer(spec);
  const tracker = new MessageTracker();
  return {
    live: async () => consumer.live ?? false,
    prepare: () => consumer.prepare(),
    expect: async (args) => {
      const { tag, count } = args as { tag: string; count: number };
      tracker.expect(tag, count);
    },
    start: async () => {
      const started = performance.now();
      await consumer.start(tracker.record);
      return { startupMs: performance.now() - started };
    },
    wait: async (args) => {
      const { timeoutMs } = args as { timeoutMs: number };
      const phase = await tracker.wait(timeoutMs);
      const report: PhaseReport = {
        received: phase.received,
        expected: phase.expected,
        timedOut: phase.timedOut,
        duplicates: phase.duplicates,
        elapsedMs: phase.lastAtMs - phase.firstAtMs,
        cpuUs: phase.cpuUs,
        latencyP50Ms: quantile(phase.latenciesMs, 0.5),
        latencyP99Ms: quantile(phase.latenciesMs, 0.99),
      };
      return report;
    },
    stop: () => consumer.stop(),
  };
}
