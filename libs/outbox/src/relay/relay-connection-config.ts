import type { ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { OUTBOX_RELAY_DEFAULTS } from './outbox-relay.options.js';

/**
 * Settings for the relay's own pg connection: the DataSource's credentials
 * (its replication master when it has replicas), as TypeORM passes them to
 * its pool, with `overrides` on top.
 */
export function relayConnectionConfig(
  dataSource: DataSource,
  overrides: ClientConfig = {},
): ClientConfig {
  const options = dataSource.options;
  if (options.type !== 'postgres') {
    throw new TypeError(
      `OutboxRelay needs a postgres DataSource, not ${options.type}`,
    );
  }
  const credentials = options.replication?.master ?? options;
  return {
    connectionString: credentials.url,
    host: credentials.host,
    port: credentials.port,
    user: credentials.username,
    password: credentials.password,
    database: credentials.database,
    // TypeORM hands this same value to pg; only the typings differ.
    ssl: credentials.ssl as ClientConfig['ssl'],
    connectionTimeoutMillis:
      options.connectTimeoutMS ?? OUTBOX_RELAY_DEFAULTS.connectionTimeoutMillis,
    application_name: OUTBOX_RELAY_DEFAULTS.applicationName,
    keepAlive: true,
    ...overrides,
  };
}
