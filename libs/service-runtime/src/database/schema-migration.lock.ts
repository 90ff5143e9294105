import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { quoteIdentifier } from './quote-identifier.js';

/**
 * First half of the advisory lock key that serialises schema creation and
 * migrations of one schema; the second half is a hash of the schema name.
 * Random once, so it does not meet the application's own locks.
 */
const MIGRATION_LOCK_KEY = 0x53525431;

const logger = new Logger('ServiceMigrations');

/**
 * Creates the service's schema if needed, then initialises `dataSource` and
 * runs its pending migrations, all under an advisory lock held on a side
 * connection, so two replicas starting together do not race on the DDL.
 * The migrations themselves run through the DataSource, each in its own
 * transaction.
 */
export async function initializeWithMigrations(
  dataSource: DataSource,
  databaseUrl: string,
  schema: string,
): Promise<DataSource> {
  const lock = new pg.Client({
    connectionString: databaseUrl,
    application_name: `migrations-${schema}`.slice(0, 63),
  });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, hashtext($2))', [
      MIGRATION_LOCK_KEY,
      schema,
    ]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    if (!dataSource.isInitialized) {
      await dataSource.initialize();
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) {
      logger.log(`applied ${migration.name} to schema ${schema}`);
    }
    return dataSource;
  } catch (error) {
    if (dataSource.isInitialized) {
      // The startup error is the one to report; a failed close only adds
      // a line to the log.
      await dataSource.destroy().catch((closeError: unknown) => {
        logger.error(`closing the DataSource failed: ${String(closeError)}`);
      });
    }
    throw error;
  } finally {
    // Ending the session releases the advisory lock as well.
    await lock.end();
  }
}
