import type {
  ProcessUsage,
  SizeFigures,
  VariantRun,
  VariantSummary,
} from '../model/results.types.js';
import type { TransportName, VariantName } from '../model/workload.types.js';
import { median, relativeSpread } from '../workload/statistics.js';

const NUMERIC_FIGURES = [
  'publishPerSec',
  'consumePerSec',
  'latencyP50Ms',
  'latencyP99Ms',
  'pacedPerSec',
  'publishCpuUsPerMsg',
  'consumeCpuUsPerMsg',
] as const;

/**
 * The median of every figure over the rounds of one variant, and the
 * widest spread of its throughput figures: how much the machine moved
 * the numbers between rounds.
 */
export function summarizeRuns(
  transport: TransportName,
  variant: VariantName,
  guarantee: string,
  runs: readonly VariantRun[],
  notMeasured?: string,
): VariantSummary {
  if (runs.length === 0) {
    return {
      transport,
      variant,
      guarantee,
      sizes: [],
      publisher: { cpuMs: Number.NaN, maxRssMb: Number.NaN },
      consumer: { cpuMs: Number.NaN, maxRssMb: Number.NaN },
      rounds: 0,
      spread: 0,
      notMeasured: notMeasured ?? 'no run finished',
    };
  }
  const sizes = runs[0].sizes.map((first, index) => {
    const perRound = runs.map((run) => run.sizes[index]);
    const figures = Object.fromEntries(
      NUMERIC_FIGURES.map((name) => [
        name,
        median(perRound.map((sizeRun) => sizeRun[name])),
      ]),
    ) as Record<(typeof NUMERIC_FIGURES)[number], number>;
    return { ...figures, size: first.size, liveConsume: first.liveConsume };
  });
  const spreads = runs[0].sizes.flatMap((_, index) =>
    (['publishPerSec', 'consumePerSec'] as const).map((name) =>
      relativeSpread(runs.map((run) => run.sizes[index][name])),
    ),
  );
  return {
    transport,
    variant,
    guarantee,
    sizes: sizes satisfies SizeFigures[],
    publisher: medianUsage(runs.map((run) => run.publisher)),
    consumer: medianUsage(runs.map((run) => run.consumer)),
    rounds: runs.length,
    spread: Math.max(0, ...spreads),
    // A variant that failed in a later round still has its earlier rounds.
    note: notMeasured && `${runs.length} round(s) only; then: ${notMeasured}`,
  };
}

function medianUsage(usages: readonly ProcessUsage[]): ProcessUsage {
  return {
    cpuMs: median(usages.map((usage) => usage.cpuMs)),
    maxRssMb: median(usages.map((usage) => usage.maxRssMb)),
  };
}
