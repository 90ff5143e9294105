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
 * Vitest global setup: tests use DATABASE_URL when it is set, otherwise one
 * embedded PostgreSQL server started here for the whole run.
 */
export async function setup(project: TestProject): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres();
    url = embedded.url;
  }
  process.env.DATABASE_URL = url;
  project.provide('databaseUrl', url);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
