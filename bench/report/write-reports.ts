import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BenchResult } from '../model/bench-result.types.js';
import {
  BENCHMARKS_FILE,
  REPOSITORY_ROOT,
  RESULTS_DIR,
} from '../runner/paths.js';
import { benchmarksMarkdown } from './benchmarks-markdown.js';
import { appendToHistory, readHistory } from './run-history.js';
import { throughputChart } from './throughput-chart.js';

const HISTORY_FILE = join(RESULTS_DIR, 'history.json');
const CHART_FILE = join(RESULTS_DIR, 'throughput.svg');
const FINDINGS_FILE = join(REPOSITORY_ROOT, 'bench', 'FINDINGS.md');

/**
 * Records the run in bench/results/history.json (without a run: only
 * re-renders from it) and rewrites BENCHMARKS.md (newest full run, then
 * the newest quick runs, with bench/FINDINGS.md between them) and the
 * chart, which shows the newest full run, or the newest run when there
 * is none. Returns the files written.
 */
export function writeReports(result?: BenchResult): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const history = result
    ? appendToHistory(HISTORY_FILE, result)
    : readHistory(HISTORY_FILE);
  const full = history.filter((run) => run.mode === 'full').at(-1);
  const quick = history.filter((run) => run.mode === 'quick').slice(-2);
  const charted = full ?? history.at(-1);
  if (!charted) {
    throw new Error(`no runs recorded in ${HISTORY_FILE} yet`);
  }
  writeFileSync(CHART_FILE, throughputChart(charted));
  writeFileSync(
    BENCHMARKS_FILE,
    benchmarksMarkdown({
      full,
      quick,
      findings: existsSync(FINDINGS_FILE)
        ? readFileSync(FINDINGS_FILE, 'utf8')
        : undefined,
      chartPath: relative(REPOSITORY_ROOT, CHART_FILE),
    }),
  );
  return [BENCHMARKS_FILE, CHART_FILE, HISTORY_FILE].map((file) =>
    relative(REPOSITORY_ROOT, file),
  );
}
