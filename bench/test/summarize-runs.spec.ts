import type { VariantRun } from '../model/results.types.js';
import { summarizeRuns } from '../runner/summarize-runs.js';
import { figures } from './fixtures.js';

const run = (round: number, publish: number, consume: number): VariantRun => ({
  transport: 'redis',
  variant: 'ours',
  round,
  sizes: [figures(publish, consume)],
  publisher: { cpuMs: 100 + round, maxRssMb: 150 },
  consumer: { cpuMs: 200, maxRssMb: 160 + round },
});

describe('summarizeRuns', () => {
  it('takes the median of every figure and the widest spread', () => {
    const summary = summarizeRuns('redis', 'ours', 'g', [
      run(0, 1000, 500),
      run(1, 1100, 400),
      run(2, 900, 600),
    ]);
    expect(summary.sizes[0]).toMatchObject({
      size: 256,
      publishPerSec: 1000,
      consumePerSec: 500,
    });
    expect(summary.spread).toBeCloseTo(0.4);
    expect(summary.publisher.cpuMs).toBe(101);
    expect(summary.notMeasured).toBeUndefined();
  });

  it('keeps earlier rounds of a variant that failed later, with a note', () => {
    const summary = summarizeRuns(
      'redis',
      'ours',
      'g',
      [run(0, 1000, 500)],
      'boom',
    );
    expect(summary.notMeasured).toBeUndefined();
    expect(summary.note).toBe('1 round(s) only; then: boom');
  });

  it('is "not measured" with the reason when no round finished', () => {
    expect(
      summarizeRuns('redis', 'nest', 'g', [], 'unreachable'),
    ).toMatchObject({
      rounds: 0,
      notMeasured: 'unreachable',
    });
  });
});
