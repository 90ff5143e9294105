import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { RuntimeConfig } from '../config/runtime-config.js';
import type {
  ResolvedService,
  ServiceDefinition,
} from '../service-definition.js';
import { TypeOrmNestLogger } from '../logging/typeorm-nest.logger.js';
import { quoteIdentifier } from './quote-identifier.js';

/** What the outbox lib adds to every service's DataSource. */
export interface OutboxSchemaParts {
  readonly entities: readonly (new (...args: never[]) => object)[];
  readonly migrations: readonly (new (...args: never[]) => object)[];
}

/**
 * TypeORM options of one service: its own schema in the shared database,
 * the outbox tables beside its entities, migrations instead of
 * `synchronize`. The search_path points at the schema too, so raw SQL that
 * names no schema stays inside the service.
 */
export function typeOrmOptions(
  config: RuntimeConfig,
  definition: ServiceDefinition,
  service: ResolvedService,
  outbox: OutboxSchemaParts,
): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    schema: service.schema,
    applicationName: service.name,
    entities: [...definition.entities, ...outbox.entities],
    migrations: [...outbox.migrations, ...definition.migrations],
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    // Migrations run in the DataSource factory, under a lock.
    migrationsRun: false,
    logging: ['error', 'warn'],
    // TypeORM's own loggers print a failed query's parameters: customers'
    // e-mails and names. This one logs the error and the SQL text only.
    logger: new TypeOrmNestLogger(),
    retryAttempts: 10,
    retryDelay: 1000,
    extra: {
      options: `-c search_path=${quoteIdentifier(service.schema)}`,
      max: 10,
    },
  };
}
