import type { BenchResult } from '../model/bench-result.types.js';
import { transportRatios } from './ratios.js';
import { checkTargets } from './targets.js';

/**
 * The `--json` line: every figure of the run, and per transport the
 * ratios `oursVsRaw` and `oursVsNest` (throughput, same workload, same
 * run; the lowest over publish, consume and sizes, with the per-figure
 * ratios beside them). Non-finite numbers become null.
 */
export function jsonSummary(result: BenchResult): string {
  const transports = Object.fromEntries(
    result.transports.map((transport) => {
      const ratios = transportRatios(transport);
      return [
        transport.transport,
        {
          broker: transport.broker,
          notMeasured: transport.notMeasured ?? null,
          oursVsRaw: ratios.oursVsRaw,
          oursVsNest: ratios.oursVsNest,
          ratios: ratios.rows,
          variants: transport.variants,
          ceiling: transport.ceiling ?? null,
          outbox: transport.outbox ?? [],
        },
      ];
    }),
  );
  const summary = {
    benchmark: 'nest-reliable-messaging',
    mode: result.mode,
    startedAt: result.startedAt,
    durationMs: Math.round(result.durationMs),
    machine: result.machine,
    plan: result.plan,
    transports,
    saga: result.saga,
    targets: checkTargets(result),
    profiles: result.profiles,
  };
  return JSON.stringify(summary, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? null : value,
  );
}
