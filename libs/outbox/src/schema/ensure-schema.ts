import type { DataSource } from 'typeorm';
import { quoteIdentifier } from './outbox-tables.js';

/**
 * Creates the DataSource's schema (its `schema` option) if it is missing.
 * Call it before `runMigrations`: TypeORM keeps its `migrations` table in
 * that schema and creates the table before any migration runs.
 */
export async function ensureSchema(dataSource: DataSource): Promise<void> {
  const options = dataSource.options;
  const schema = options.type === 'postgres' ? options.schema : undefined;
  if (schema) {
    await dataSource.query(
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`,
    );
  }
}
