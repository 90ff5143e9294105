import pg from 'pg';
import type {
  BrokerEndpoints,
  WorkloadSpec,
} from '../../model/workload.types.js';
import type { BrokerModule } from '../adapter.types.js';
import { withoutCredentials } from '../endpoints.js';
import { pgbenchCeiling } from './pgbench.ceiling.js';

/** PostgreSQL as the parent sees it: reachability, cleanup, ceiling. */
export const postgresBroker: BrokerModule = {
  transport: 'postgres',

  async probe(endpoints: BrokerEndpoints): Promise<string> {
    const client = new pg.Client({
      connectionString: endpoints.databaseUrl,
      connectionTimeoutMillis: 3000,
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version: string }>(
        'SHOW server_version',
      );
      return (
        `PostgreSQL ${rows[0].server_version.split(' ')[0]} at ` +
        withoutCredentials(endpoints.databaseUrl)
      );
    } finally {
      await client.end();
    }
  },

  async cleanup(spec: WorkloadSpec): Promise<void> {
    await dropSchemas(spec.endpoints.databaseUrl, [spec.namespace]);
  },

  ceiling: pgbenchCeiling,
};

/** Drops schemas and everything in them. */
export async function dropSchemas(
  databaseUrl: string,
  schemas: readonly string[],
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  } finally {
    await client.end();
  }
}
