import type { BenchResult } from '../model/bench-result.types.js';
import type {
  SizeFigures,
  TransportResult,
  VariantSummary,
} from '../model/results.types.js';
import {
  formatCount,
  formatMs,
  formatPercent,
  formatRatio,
  formatSize,
  NONE,
} from './format-number.js';
import { transportRatios } from './ratios.js';
import type { TargetCheck } from './targets.js';
import type { Table } from './text-table.js';

/** Longest reason quoted in a table cell; the JSON has all of it. */
const REASON_CHARS = 110;

/**
 * The main table: per transport and size, one row per variant and one
 * for the broker's ceiling, with ours/raw and ours/Nest on the ours row
 * (publish · consume).
 */
export function throughputTable(result: BenchResult): Table {
  const rows: string[][] = [];
  for (const transport of result.transports) {
    if (transport.notMeasured) {
      rows.push(
        blankRow(
          transport.transport,
          NONE,
          'all',
          notMeasured(transport.notMeasured),
        ),
      );
      continue;
    }
    const ratios = transportRatios(transport);
    for (const [index, size] of result.plan.sizes.entries()) {
      for (const summary of transport.variants) {
        rows.push(
          variantRow(
            transport,
            summary,
            index,
            size,
            ratios.rows,
            result.plan.latencyRate,
          ),
        );
      }
      const ceiling = transport.ceiling;
      if (ceiling) {
        const figures = ceiling.sizes.find((s) => s.size === size);
        rows.push(
          figures
            ? [
                transport.transport,
                formatSize(size),
                'ceiling',
                formatCount(figures.publishPerSec),
                NONE,
                NONE,
                NONE,
                NONE,
                NONE,
                NONE,
                NONE,
                NONE,
                ceiling.tool +
                  (figures.ackP50Ms !== undefined
                    ? `; ack p50 ${formatMs(figures.ackP50Ms)} ms, p99 ${formatMs(figures.ackP99Ms)} ms`
                    : ''),
              ]
            : blankRow(
                transport.transport,
                formatSize(size),
                'ceiling',
                notMeasured(ceiling.notMeasured ?? 'no figure', ceiling.tool),
              ),
        );
      }
    }
  }
  return {
    headers: [
      'transport',
      'size',
      'variant',
      'publish/s',
      'consume/s',
      'p50 ms',
      'p99 ms',
      'CPU µs/msg pub·con',
      'RSS MB pub·con',
      'ours/raw pub·con',
      'ours/Nest pub·con',
      'round spread',
      'note',
    ],
    align: ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    rows,
  };
}

function variantRow(
  transport: TransportResult,
  summary: VariantSummary,
  index: number,
  size: number,
  ratioRows: ReturnType<typeof transportRatios>['rows'],
  pacedRate: number,
): string[] {
  const name = transport.transport;
  if (summary.notMeasured) {
    return blankRow(
      name,
      formatSize(size),
      summary.variant,
      notMeasured(summary.notMeasured),
    );
  }
  const figures: SizeFigures | undefined = summary.sizes[index];
  if (!figures) {
    return blankRow(name, formatSize(size), summary.variant, 'no figures');
  }
  const isOurs = summary.variant === 'ours';
  const publish = ratioRows[index * 2];
  const consume = ratioRows[index * 2 + 1];
  const notes = [
    figures.liveConsume ? 'consume is live: pub/sub keeps no backlog' : '',
    figures.pacedPerSec < 0.9 * pacedRate
      ? `paced phase reached ${formatCount(figures.pacedPerSec)}/s of ${formatCount(pacedRate)}/s`
      : '',
    summary.note ?? '',
  ].filter(Boolean);
  return [
    name,
    formatSize(size),
    summary.variant,
    formatCount(figures.publishPerSec),
    formatCount(figures.consumePerSec) + (figures.liveConsume ? '*' : ''),
    formatMs(figures.latencyP50Ms),
    formatMs(figures.latencyP99Ms),
    pair(
      formatCount(figures.publishCpuUsPerMsg),
      formatCount(figures.consumeCpuUsPerMsg),
    ),
    pair(
      formatCount(summary.publisher.maxRssMb),
      formatCount(summary.consumer.maxRssMb),
    ),
    isOurs && publish && consume
      ? pair(formatRatio(publish.vsRaw), formatRatio(consume.vsRaw))
      : '',
    isOurs &&
    publish &&
    consume &&
    (publish.vsNest !== null || consume.vsNest !== null)
      ? pair(formatRatio(publish.vsNest), formatRatio(consume.vsNest))
      : '',
    summary.rounds > 1 ? formatPercent(summary.spread) : NONE,
    notes.join('; '),
  ];
}

/** Outbox relay: committed row to broker confirm. */
export function outboxTable(result: BenchResult): Table {
  const rows: string[][] = [];
  for (const transport of result.transports) {
    for (const row of transport.outbox ?? []) {
      rows.push([
        transport.transport,
        formatSize(row.size),
        formatCount(row.rows),
        formatCount(row.rowsPerSec),
        formatCount(row.cpuUsPerRow),
        formatCount(row.usage?.maxRssMb),
        row.notMeasured ? notMeasured(row.notMeasured) : '',
      ]);
    }
  }
  return {
    headers: [
      'transport',
      'size',
      'rows',
      'rows/s',
      'CPU µs/row',
      'RSS MB',
      'note',
    ],
    align: ['l', 'l', 'r', 'r', 'r', 'r', 'l'],
    rows,
  };
}

/** The saga through the three services. */
export function sagaTable(result: BenchResult): Table {
  const rows = result.saga.map((saga) => {
    const services = Object.entries(saga.services);
    return [
      saga.transport,
      formatCount(saga.orders),
      formatCount(saga.ordersPerSec),
      formatMs(saga.latencyP50Ms),
      formatMs(saga.latencyP99Ms),
      services.map(([, usage]) => formatCount(usage.cpuMs)).join(' · ') || NONE,
      services.map(([, usage]) => formatCount(usage.maxRssMb)).join(' · ') ||
        NONE,
      saga.notMeasured ? notMeasured(saga.notMeasured) : (saga.note ?? ''),
    ];
  });
  return {
    headers: [
      'transport',
      'orders',
      'orders/s',
      'p50 ms',
      'p99 ms',
      'CPU ms order·payment·notification',
      'RSS MB order·payment·notification',
      'note',
    ],
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    rows,
  };
}

export function targetsTable(checks: readonly TargetCheck[]): Table {
  return {
    headers: ['target', 'transport', 'measured', 'verdict'],
    align: ['l', 'l', 'r', 'l'],
    rows: checks.map((check) => [
      check.target,
      check.transport,
      check.measured,
      check.verdict,
    ]),
  };
}

/** What each variant promises, the legend of the main table. */
export function guaranteesTable(result: BenchResult): Table {
  const rows = result.transports.flatMap((transport) =>
    transport.variants
      .filter((summary) => summary.guarantee)
      .map((summary) => [
        transport.transport,
        summary.variant,
        summary.guarantee,
      ]),
  );
  return {
    headers: ['transport', 'variant', 'publish and ack guarantee'],
    align: ['l', 'l', 'l'],
    rows,
  };
}

function pair(a: string, b: string): string {
  return `${a} · ${b}`;
}

function blankRow(
  transport: string,
  size: string,
  variantName: string,
  note: string,
): string[] {
  return [
    transport,
    size,
    variantName,
    NONE,
    NONE,
    NONE,
    NONE,
    NONE,
    NONE,
    '',
    '',
    '',
    note,
  ];
}

function notMeasured(reason: string, tool?: string): string {
  const text = `not measured: ${tool ? `${tool}: ` : ''}${reason}`;
  return text.length > REASON_CHARS
    ? `${text.slice(0, REASON_CHARS - 1)}…`
    : text;
}
