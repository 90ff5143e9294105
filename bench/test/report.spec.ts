import { jsonSummary } from '../report/json-summary.js';
import { transportRatios } from '../report/ratios.js';
import { throughputTable } from '../report/result-tables.js';
import { checkTargets } from '../report/targets.js';
import { renderMarkdown, renderText } from '../report/text-table.js';
import { throughputChart } from '../report/throughput-chart.js';
import type { TransportResult } from '../model/results.types.js';
import { figures, result, summary } from './fixtures.js';

const redis: TransportResult = {
  transport: 'redis',
  broker: 'Redis 7',
  variants: [
    summary('redis', 'raw', [figures(1000, 2000)]),
    summary('redis', 'ours', [figures(900, 1000)]),
    summary('redis', 'nest', [figures(600, 500, true)]),
  ],
  outbox: [
    {
      transport: 'redis',
      rows: 1000,
      size: 256,
      rowsPerSec: 4000,
      cpuUsPerRow: 10,
    },
  ],
};

const unreachable: TransportResult = {
  transport: 'kafka',
  broker: 'unreachable',
  variants: [],
  notMeasured: 'broker unreachable: ECONNREFUSED',
};

describe('transportRatios', () => {
  it('takes the lowest ratio, leaving live Nest figures out of ours/Nest', () => {
    const ratios = transportRatios(redis);
    expect(ratios.oursVsRaw).toBeCloseTo(0.5);
    expect(ratios.oursVsNest).toBeCloseTo(1.5);
    expect(ratios.rows).toEqual([
      { label: 'publish 256 B', vsRaw: 0.9, vsNest: 1.5 },
      { label: 'consume 256 B', vsRaw: 0.5, vsNest: null },
    ]);
  });

  it('has no ratios for a transport that was not measured', () => {
    expect(transportRatios(unreachable)).toMatchObject({
      oursVsRaw: null,
      oursVsNest: null,
    });
  });
});

describe('checkTargets', () => {
  it('says by how much a target was missed', () => {
    const checks = checkTargets(result([redis]));
    expect(checks).toEqual([
      expect.objectContaining({
        target: 'ours/raw throughput ≥ 0.9',
        measured: '0.50',
        met: false,
        verdict: 'missed by 44%',
      }),
      expect.objectContaining({ target: 'ours ≥ Nest built-in', met: true }),
      expect.objectContaining({
        target: 'outbox relay ≥ 5,000 rows/s',
        verdict: 'missed by 20%',
      }),
    ]);
  });
});

describe('throughputTable', () => {
  it('shows an unreachable broker as one "not measured" row', () => {
    const table = throughputTable(result([unreachable]));
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0].at(-1)).toBe(
      'not measured: broker unreachable: ECONNREFUSED',
    );
  });

  it('puts both ratios on the ours row and marks live consumption', () => {
    const rows = throughputTable(result([redis])).rows;
    const ours = rows.find((row) => row[2] === 'ours');
    const nest = rows.find((row) => row[2] === 'nest');
    expect(ours?.slice(9, 11)).toEqual(['0.90 · 0.50', '1.50 · –']);
    expect(nest?.[4]).toBe('500*');
  });
});

describe('renderers', () => {
  const table = {
    headers: ['name', 'rate'],
    align: ['l', 'r'] as const,
    rows: [
      ['a|b', '1'],
      ['long name', '1,000'],
    ],
  };

  it('pads text columns and right-aligns numbers', () => {
    expect(renderText(table).split('\n')).toEqual([
      'name        rate',
      '---------  -----',
      'a|b            1',
      'long name  1,000',
    ]);
  });

  it('escapes pipes in Markdown cells', () => {
    expect(renderMarkdown(table)).toContain('| a\\|b | 1 |');
  });
});

describe('jsonSummary', () => {
  it('is one line of JSON with the ratios per transport', () => {
    const line = jsonSummary(result([redis, unreachable]));
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line) as {
      transports: Record<
        string,
        { oursVsRaw: number | null; notMeasured: string | null }
      >;
    };
    expect(parsed.transports.redis.oursVsRaw).toBeCloseTo(0.5);
    expect(parsed.transports.kafka).toMatchObject({
      oursVsRaw: null,
      notMeasured: 'broker unreachable: ECONNREFUSED',
    });
  });
});

describe('throughputChart', () => {
  it('draws one bar per measured variant and figure', () => {
    const svg = throughputChart(result([redis, unreachable]));
    expect(svg.startsWith('<svg')).toBe(true);
    // 3 variants x 2 figures, and the first legend square (also x=200).
    expect(svg.match(/<rect x="200" y="\d+/g)).toHaveLength(6 + 1);
    expect(svg).toContain('redis 256 B consume');
  });
});
