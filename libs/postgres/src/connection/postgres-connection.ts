import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ClientConfig, Pool, PoolConfig } from 'pg';

/**
 * How the transport reaches PostgreSQL: a connection string, a pool config,
 * or a `pg.Pool` of your own. A pool you pass is used as is and never
 * ended by the transport; attach an `error` listener to it, as node-postgres
 * asks, or an idle connection cut by the server crashes the process.
 */
export type PostgresConnection = string | PoolConfig | Pool;

/** A pool to use, and whether the transport created it (and so ends it). */
export interface ResolvedPool {
  readonly pool: Pool;
  readonly owned: boolean;
}

export function isPool(connection: PostgresConnection): connection is Pool {
  if (connection instanceof pg.Pool) {
    return true;
  }
  // Duck typing covers a second copy of pg in node_modules.
  const candidate = connection as Partial<Record<string, unknown>>;
  return (
    typeof connection === 'object' &&
    typeof candidate.connect === 'function' &&
    typeof candidate.query === 'function'
  );
}

/** The settings for new connections, with the given application_name. */
export function connectionConfig(
  connection: PostgresConnection,
  applicationName: string,
): ClientConfig {
  const base: ClientConfig = isPool(connection)
    ? connection.options
    : typeof connection === 'string'
      ? { connectionString: connection }
      : connection;
  return { ...base, application_name: applicationName };
}

/**
 * Returns the user's pool, or a new one named `applicationName` so its
 * sessions can be told apart in pg_stat_activity.
 */
export function resolvePool(
  connection: PostgresConnection,
  applicationName: string,
  onIdleError: (error: Error) => void,
): ResolvedPool {
  if (isPool(connection)) {
    return { pool: connection, owned: false };
  }
  const config = connectionConfig(connection, applicationName);
  const pool = new pg.Pool(config);
  // Without a listener an idle connection killed by the server would
  // surface as an unhandled 'error' event and end the process.
  pool.on('error', onIdleError);
  return { pool, owned: true };
}

/** A short, distinct application_name for one transport instance. */
export function applicationNameFor(prefix: string, label: string): string {
  const suffix = randomBytes(4).toString('hex');
  return `${prefix}-${suffix}-${label}`.slice(0, 63);
}
