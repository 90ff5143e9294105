import type {
  TransportResult,
  VariantSummary,
} from '../model/results.types.js';
import type { VariantName } from '../model/workload.types.js';
import { formatSize } from './format-number.js';

/** ours/raw and ours/Nest for one throughput figure of one size. */
export interface RatioRow {
  /** e.g. `publish 256 B`. */
  readonly label: string;
  readonly vsRaw: number | null;
  readonly vsNest: number | null;
}

export interface TransportRatios {
  /**
   * The lowest ours/raw throughput ratio over publish and consume and
   * every size: the figure the ≥ 0.9 target is checked against.
   */
  readonly oursVsRaw: number | null;
  /** The lowest ours/Nest ratio over comparable figures; null without Nest. */
  readonly oursVsNest: number | null;
  readonly rows: readonly RatioRow[];
}

/**
 * Throughput ratios of one transport, from one run: the figures of the
 * three variants came from the same workload, interleaved. A Nest
 * consume figure measured live (pub/sub) is left out of ours/Nest: it is
 * not the backlog workload the others ran.
 */
export function transportRatios(result: TransportResult): TransportRatios {
  const ours = variant(result, 'ours');
  const raw = variant(result, 'raw');
  const nest = variant(result, 'nest');
  const rows: RatioRow[] = [];
  for (const [index, figures] of (ours?.sizes ?? []).entries()) {
    for (const metric of ['publishPerSec', 'consumePerSec'] as const) {
      const rawFigures = raw?.sizes[index];
      const nestFigures = nest?.sizes[index];
      const comparableNest =
        nestFigures && !(metric === 'consumePerSec' && nestFigures.liveConsume);
      rows.push({
        label:
          `${metric === 'publishPerSec' ? 'publish' : 'consume'} ` +
          formatSize(figures.size),
        vsRaw: ratio(figures[metric], rawFigures?.[metric]),
        vsNest: comparableNest
          ? ratio(figures[metric], nestFigures[metric])
          : null,
      });
    }
  }
  return {
    oursVsRaw: lowest(rows.map((row) => row.vsRaw)),
    oursVsNest: lowest(rows.map((row) => row.vsNest)),
    rows,
  };
}

/** The measured summary of a variant, or undefined. */
export function variant(
  result: TransportResult,
  name: VariantName,
): VariantSummary | undefined {
  const found = result.variants.find((v) => v.variant === name);
  return found && !found.notMeasured ? found : undefined;
}

function ratio(ours: number, other: number | undefined): number | null {
  return other && Number.isFinite(other) && Number.isFinite(ours)
    ? ours / other
    : null;
}

function lowest(values: readonly (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null);
  return finite.length > 0 ? Math.min(...finite) : null;
}
