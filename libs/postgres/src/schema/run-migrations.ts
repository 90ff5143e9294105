import type { Pool, PoolClient } from 'pg';
import { MIGRATION_LOCK_KEY } from '../postgres.constants.js';
import { MIGRATIONS } from './migrations.js';
import { QueueSchema, type QueueSchemaOptions } from './queue-schema.js';

/**
 * Creates or upgrades the queue tables. Idempotent, and safe when several
 * services start at once: a transaction-scoped advisory lock per schema
 * makes them take turns, and each applies only the steps still missing.
 * Returns the versions it applied.
 */
export async function runMigrations(
  pool: Pool,
  options: QueueSchemaOptions = {},
): Promise<number[]> {
  const schema = new QueueSchema(options);
  const client = await pool.connect();
  try {
    const applied = await migrateWith(client, schema);
    client.release();
    return applied;
  } catch (error) {
    // A connection that failed mid-migration is not handed back for reuse.
    client.release(true);
    throw error;
  }
}

async function migrateWith(
  client: PoolClient,
  schema: QueueSchema,
): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      MIGRATION_LOCK_KEY,
      schema.name,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema.quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema.migrations} (
         version integer PRIMARY KEY,
         description text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await client.query<{ version: number }>(
      `SELECT version FROM ${schema.migrations}`,
    );
    const applied = new Set(done.rows.map((row) => row.version));
    const added: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) {
        continue;
      }
      await client.query(migration.sql(schema));
      await client.query(
        `INSERT INTO ${schema.migrations} (version, description)
         VALUES ($1, $2)`,
        [migration.version, migration.description],
      );
      added.push(migration.version);
    }
    await client.query('COMMIT');
    return added;
  } catch (error) {
    await rollbackQuietly(client, error);
    throw error;
  }
}

/** A failed rollback must not hide the error that caused it. */
async function rollbackQuietly(
  client: PoolClient,
  cause: unknown,
): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch (rollbackError) {
    throw new AggregateError(
      [cause, rollbackError],
      'queue migration failed and so did its rollback',
      { cause: rollbackError },
    );
  }
}
