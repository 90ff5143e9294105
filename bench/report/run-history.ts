import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchResult } from '../model/bench-result.types.js';

/** Runs of each mode kept, newest last. */
const KEEP_PER_MODE = 3;

/**
 * The last few results of each mode, so BENCHMARKS.md can show the full
 * run next to the latest quick runs, whichever ran last.
 */
export function appendToHistory(
  file: string,
  result: BenchResult,
): BenchResult[] {
  const runs = [...readHistory(file), result];
  const kept = (['full', 'quick'] as const).flatMap((mode) =>
    runs.filter((run) => run.mode === mode).slice(-KEEP_PER_MODE),
  );
  kept.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ runs: kept }, null, 1)}\n`);
  return kept;
}

export function readHistory(file: string): BenchResult[] {
  if (!existsSync(file)) {
    return [];
  }
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
      runs?: BenchResult[];
    };
    return parsed.runs ?? [];
  } catch (error) {
    throw new Error(
      `${file} is not readable history; move it away to start afresh`,
      { cause: error },
    );
  }
}
