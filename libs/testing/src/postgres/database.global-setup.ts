import type { TestProject } from 'vitest/node';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from './embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let embedded: EmbeddedDatabase | undefined;

/**
 * embedded-postgres loads async-exit-hook, whose `beforeExit` listener calls
 * `process.exit(0)`: it replaced the exit code 1 vitest sets after a failed
 * test, so a run with failures exited 0 and CI passed over them. The code
 * vitest had set is taken before that exit and put back as the process
 * ends.
 */
function keepVitestExitCode(): void {
  let intended: number | string | undefined;
  process.on('beforeExit', () => {
    intended = process.exitCode ?? undefined;
  });
  process.on('exit', () => {
    if (intended !== undefined && intended !== 0) {
      process.exitCode = intended;
    }
  });
}

/**
 * Vitest global setup: tests use DATABASE_URL when it is set, otherwise one
 * embedded PostgreSQL server started here for the whole run.
 */
export async function setup(project: TestProject): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres();
    keepVitestExitCode();
    url = embedded.url;
  }
  process.env.DATABASE_URL = url;
  project.provide('databaseUrl', url);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
