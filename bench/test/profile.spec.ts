import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeCpuProfile } from '../profile/cpu-profile-summary.js';
import { REPOSITORY_ROOT } from '../runner/paths.js';

function frame(
  id: number,
  functionName: string,
  url = '',
  children: number[] = [],
) {
  return {
    id,
    callFrame: { functionName, url, lineNumber: 9 },
    children,
  };
}

describe('summarizeCpuProfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sums self time per function and area, without idle or the profiler', () => {
    const file = join(dir, 'sample.cpuprofile');
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          frame(1, '(root)', '', [2, 3, 4, 5, 6]),
          frame(2, '(idle)'),
          frame(
            3,
            'parseRow',
            `file://${REPOSITORY_ROOT}/node_modules/pg/lib/result.js`,
          ),
          frame(
            4,
            'claim',
            `file://${REPOSITORY_ROOT}/libs/postgres/src/claim.ts`,
          ),
          frame(5, 'post', 'node:inspector', [7]),
          frame(6, '(garbage collector)'),
          frame(7, 'dispatch'),
        ],
        samples: [2, 3, 3, 4, 7, 6],
        timeDeltas: [5000, 1000, 1000, 1000, 9000, 1000],
      }),
    );
    const summary = summarizeCpuProfile(file);
    expect(summary.sampledMs).toBe(4);
    expect(summary.functions[0]).toEqual({
      name: 'parseRow pg/lib/result.js:10',
      selfMs: 2,
      share: 0.5,
    });
    expect(summary.areas.map((area) => area.name)).toEqual([
      'pg',
      'libs/postgres',
      '(garbage collector)',
    ]);
  });
});
