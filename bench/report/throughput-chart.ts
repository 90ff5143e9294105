import type { BenchResult } from '../model/bench-result.types.js';
import { formatCount, formatSize } from './format-number.js';
import { variant } from './ratios.js';

interface Bar {
  readonly series: keyof typeof COLORS;
  readonly value: number;
}

interface Group {
  readonly label: string;
  readonly bars: readonly Bar[];
}

const COLORS = {
  raw: '#7f7f7f',
  ours: '#1f6fb4',
  nest: '#e8862a',
  ceiling: '#c9c9c9',
} as const;

const LAYOUT = {
  width: 960,
  labelWidth: 200,
  valueWidth: 70,
  top: 70,
  bar: 12,
  barGap: 2,
  groupGap: 12,
  bottom: 30,
} as const;

/**
 * Throughput per transport as an SVG bar chart: for every transport,
 * size and direction (publish, consume) one bar per variant, plus the
 * broker's ceiling for publish. The axis is logarithmic, since the
 * transports are an order of magnitude apart.
 */
export function throughputChart(result: BenchResult): string {
  const groups = chartGroups(result);
  const values = groups.flatMap((g) => g.bars.map((b) => b.value));
  const low = 100;
  const high = 10 ** Math.ceil(Math.log10(Math.max(low * 10, ...values)));
  const plotWidth = LAYOUT.width - LAYOUT.labelWidth - LAYOUT.valueWidth;
  const x = (value: number) =>
    LAYOUT.labelWidth +
    (plotWidth * Math.log10(Math.max(value, low) / low)) /
      Math.log10(high / low);

  const parts: string[] = [];
  let y = LAYOUT.top;
  for (const group of groups) {
    const height = group.bars.length * (LAYOUT.bar + LAYOUT.barGap);
    parts.push(
      text(LAYOUT.labelWidth - 8, y + height / 2 + 4, group.label, 'end'),
    );
    for (const bar of group.bars) {
      const end = x(bar.value);
      parts.push(
        `<rect x="${LAYOUT.labelWidth}" y="${y}" width="${(end - LAYOUT.labelWidth).toFixed(1)}" ` +
          `height="${LAYOUT.bar}" fill="${COLORS[bar.series]}"/>`,
        text(end + 4, y + LAYOUT.bar - 2, formatCount(bar.value), 'start', 10),
      );
      y += LAYOUT.bar + LAYOUT.barGap;
    }
    y += LAYOUT.groupGap;
  }
  const height = y + LAYOUT.bottom;
  const grid: string[] = [];
  for (let decade = low; decade <= high; decade *= 10) {
    const gx = x(decade).toFixed(1);
    grid.push(
      `<line x1="${gx}" y1="${LAYOUT.top - 8}" x2="${gx}" y2="${y}" stroke="#e3e3e3"/>`,
      text(Number(gx), y + 16, formatCount(decade), 'middle', 10),
    );
  }
  const legend = (Object.keys(COLORS) as (keyof typeof COLORS)[]).map(
    (series, index) => {
      const lx = LAYOUT.labelWidth + index * 150;
      return (
        `<rect x="${lx}" y="34" width="12" height="12" fill="${COLORS[series]}"/>` +
        text(lx + 18, 44, LEGEND[series], 'start', 12)
      );
    },
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LAYOUT.width}" height="${height}" ` +
      `viewBox="0 0 ${LAYOUT.width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(
      LAYOUT.labelWidth,
      20,
      `Throughput, messages/s (log scale); ${result.mode} run of ` +
        `${result.startedAt.slice(0, 16).replace('T', ' ')} UTC, ` +
        `${formatCount(result.plan.count)} messages per run`,
      'start',
      13,
    ),
    ...legend,
    ...grid,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

const LEGEND = {
  raw: 'raw driver',
  ours: 'this project',
  nest: 'Nest built-in',
  ceiling: 'broker tool (publish)',
} as const;

function chartGroups(result: BenchResult): Group[] {
  const groups: Group[] = [];
  for (const transport of result.transports) {
    for (const [index, size] of result.plan.sizes.entries()) {
      for (const metric of ['publishPerSec', 'consumePerSec'] as const) {
        const bars: Bar[] = [];
        for (const name of ['raw', 'ours', 'nest'] as const) {
          const value = variant(transport, name)?.sizes[index]?.[metric];
          if (value !== undefined && Number.isFinite(value)) {
            bars.push({ series: name, value });
          }
        }
        const ceiling = transport.ceiling?.sizes.find((s) => s.size === size);
        if (metric === 'publishPerSec' && ceiling) {
          bars.push({ series: 'ceiling', value: ceiling.publishPerSec });
        }
        if (bars.length > 0) {
          groups.push({
            label:
              `${transport.transport} ${formatSize(size)} ` +
              (metric === 'publishPerSec' ? 'publish' : 'consume'),
            bars,
          });
        }
      }
    }
  }
  return groups;
}

function text(
  x: number,
  y: number,
  content: string,
  anchor: 'start' | 'middle' | 'end',
  size = 11,
): string {
  const escaped = content
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
  return (
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" ` +
    `font-size="${size}" fill="#222">${escaped}</text>`
  );
}
