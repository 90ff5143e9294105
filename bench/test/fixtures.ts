import type { BenchResult } from '../model/bench-result.types.js';
import type {
  SizeFigures,
  TransportResult,
  VariantSummary,
} from '../model/results.types.js';
import type { TransportName, VariantName } from '../model/workload.types.js';
import type { WorkloadPlan } from '../runner/workload-plan.js';

export const PLAN: WorkloadPlan = {
  sizes: [256],
  count: 1000,
  latencyCount: 100,
  latencyRate: 500,
  window: 64,
  keys: 1024,
  concurrency: 16,
  rounds: 1,
  outboxRows: 1000,
  sagaOrders: 10,
  sagaConcurrency: 4,
};

export function figures(
  publishPerSec: number,
  consumePerSec: number,
  liveConsume = false,
): SizeFigures {
  return {
    size: 256,
    publishPerSec,
    consumePerSec,
    latencyP50Ms: 1,
    latencyP99Ms: 5,
    pacedPerSec: 500,
    publishCpuUsPerMsg: 50,
    consumeCpuUsPerMsg: 40,
    liveConsume,
  };
}

export function summary(
  transport: TransportName,
  variant: VariantName,
  sizes: SizeFigures[],
  notMeasured?: string,
): VariantSummary {
  return {
    transport,
    variant,
    guarantee: `${variant} guarantee`,
    sizes,
    publisher: { cpuMs: 100, maxRssMb: 100 },
    consumer: { cpuMs: 100, maxRssMb: 100 },
    rounds: 1,
    spread: 0,
    notMeasured,
  };
}

export function result(transports: TransportResult[]): BenchResult {
  return {
    mode: 'quick',
    args: ['--quick'],
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1000,
    machine: {
      cpuModel: 'cpu',
      cpus: 2,
      memoryGb: 8,
      os: 'Linux',
      node: 'v20',
      loadStart: [1, 1, 1],
      loadEnd: [2, 2, 2],
    },
    plan: PLAN,
    transports,
    saga: [],
    profiles: [],
  };
}
