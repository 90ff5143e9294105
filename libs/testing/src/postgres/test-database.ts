import { inject } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';

/** The PostgreSQL URL for this test run (see database.global-setup.ts). */
export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? inject('databaseUrl');
}

/** A unique, valid SQL identifier for one test's schema, table or topic. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Drops a schema and everything in it; used by test cleanup. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
