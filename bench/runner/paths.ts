import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: two levels above this folder. */
export const REPOSITORY_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

/** Where a run leaves its chart, history, logs and profiles. */
export const RESULTS_DIR = join(REPOSITORY_ROOT, 'bench', 'results');

export const BENCHMARKS_FILE = join(REPOSITORY_ROOT, 'BENCHMARKS.md');

export const CHILD_ENTRIES = {
  workload: 'bench/child/workload.child.ts',
  outbox: 'bench/child/outbox-relay.child.ts',
} as const;
