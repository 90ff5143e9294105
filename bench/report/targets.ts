import type { BenchResult } from '../model/bench-result.types.js';
import { formatCount, formatRatio } from './format-number.js';
import { transportRatios, variant } from './ratios.js';

/** One target of the issue, checked against one run's figures. */
export interface TargetCheck {
  readonly target: string;
  readonly transport: string;
  /** The measured figure, formatted. */
  readonly measured: string;
  readonly met: boolean | null;
  /** "met", "missed by 42%", or why it could not be checked. */
  readonly verdict: string;
}

const TARGETS = {
  oursVsRaw: 0.9,
  oursVsNest: 1,
  outboxPerSec: 5000,
  postgresConsumePerSec: 5000,
} as const;

/**
 * The targets of the issue (figures to report, not tests that fail):
 * ours/raw throughput at least 0.9, ours at least Nest's built-in
 * transport, the outbox relay at least 5,000 rows/s into each broker,
 * the Postgres transport consuming at least 5,000 messages/s. Each is
 * checked on its weakest figure (lowest ratio, slowest size).
 */
export function checkTargets(result: BenchResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const transport of result.transports) {
    const name = transport.transport;
    const ratios = transportRatios(transport);
    checks.push(
      judge(
        'ours/raw throughput ≥ 0.9',
        name,
        ratios.oursVsRaw,
        TARGETS.oursVsRaw,
        formatRatio,
      ),
    );
    if (
      transport.variants.some((v) => v.variant === 'nest' && !v.notMeasured)
    ) {
      checks.push(
        judge(
          'ours ≥ Nest built-in',
          name,
          ratios.oursVsNest,
          TARGETS.oursVsNest,
          formatRatio,
        ),
      );
    }
    if (transport.outbox) {
      const outbox = transport.outbox
        .filter((row) => !row.notMeasured)
        .map((row) => row.rowsPerSec);
      checks.push(
        judge(
          'outbox relay ≥ 5,000 rows/s',
          name,
          outbox.length > 0 ? Math.min(...outbox) : null,
          TARGETS.outboxPerSec,
          formatCount,
        ),
      );
    }
    if (name === 'postgres') {
      const consume = variant(transport, 'ours')?.sizes.map(
        (size) => size.consumePerSec,
      );
      checks.push(
        judge(
          'Postgres transport consumes ≥ 5,000 msg/s',
          name,
          consume && consume.length > 0 ? Math.min(...consume) : null,
          TARGETS.postgresConsumePerSec,
          formatCount,
        ),
      );
    }
  }
  return checks;
}

function judge(
  target: string,
  transport: string,
  value: number | null,
  goal: number,
  format: (value: number) => string,
): TargetCheck {
  if (value === null || !Number.isFinite(value)) {
    return {
      target,
      transport,
      measured: '–',
      met: null,
      verdict: 'not measured',
    };
  }
  const met = value >= goal;
  const verdict = met
    ? 'met'
    : `missed by ${Math.round((1 - value / goal) * 100)}%`;
  return { target, transport, measured: format(value), met, verdict };
}
