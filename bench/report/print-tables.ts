import type { BenchResult } from '../model/bench-result.types.js';
import { formatCount } from './format-number.js';
import {
  outboxTable,
  sagaTable,
  targetsTable,
  throughputTable,
} from './result-tables.js';
import { checkTargets } from './targets.js';
import { renderText, type Table } from './text-table.js';

/** What stdout shows: the same tables as BENCHMARKS.md, as plain text. */
export function printTables(result: BenchResult): string {
  const plan = result.plan;
  const sections = [
    `Throughput and latency (${result.mode}: ${formatCount(plan.count)} ` +
      `messages per run, latency at ${formatCount(plan.latencyRate)}/s, ` +
      `${plan.rounds} round(s), median; ratios are publish · consume)`,
    renderText(throughputTable(result)),
    ...optional(
      'Outbox relay (committed row to broker confirm)',
      outboxTable(result),
    ),
    ...optional('Saga (order placed to final state)', sagaTable(result)),
    'Targets',
    renderText(targetsTable(checkTargets(result))),
    `Load average ${result.machine.loadStart.join(' ')} -> ` +
      `${result.machine.loadEnd.join(' ')} on ${result.machine.cpus} cores; ` +
      `${Math.round(result.durationMs / 1000)} s`,
  ];
  return `\n${sections.join('\n\n')}\n\n`;
}

function optional(title: string, table: Table): string[] {
  return table.rows.length > 0 ? [title, renderText(table)] : [];
}
