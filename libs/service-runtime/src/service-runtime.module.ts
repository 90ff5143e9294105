import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  CreateOutboxTables1764720000000,
  OUTBOX_ENTITIES,
  OutboxModule,
} from '@mq/outbox';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { RuntimeConfig } from './config/runtime-config.js';
import { runtimeConfig } from './config/runtime-config.provider.js';
import { initializeWithMigrations } from './database/schema-migration.lock.js';
import { typeOrmOptions } from './database/typeorm-options.js';
import { DeadLettersController } from './dead-letters/dead-letters.controller.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { serviceRelayOptions } from './outbox/service-relay.options.js';
import { resolveService } from './resolve-service.js';
import type {
  ResolvedService,
  ServiceDefinition,
} from './service-definition.js';
import {
  RESOLVED_SERVICE,
  SERVICE_DEFINITION,
} from './service-runtime.tokens.js';
import { createTransport } from './transport/create-transport.js';
import {
  MESSAGING_TRANSPORT,
  type MessagingTransport,
} from './transport/messaging-transport.js';
import { TransportLifecycle } from './transport/transport-lifecycle.js';

const OUTBOX_SCHEMA_PARTS = {
  entities: OUTBOX_ENTITIES,
  migrations: [CreateOutboxTables1764720000000],
};

/**
 * Everything the three services share, in one import:
 *
 * - configuration (`runtimeConfig`, read from the environment),
 * - TypeORM on the service's own schema, created and migrated at startup,
 * - the transport chosen by MQ_TRANSPORT (`MESSAGING_TRANSPORT`),
 * - OutboxService, InboxService and the OutboxRelay publishing through
 *   the transport's client,
 * - `GET /health` and the `/dead-letters` operator API.
 *
 * Start the app with `bootstrapService`, which connects the transport's
 * server as the microservice strategy.
 */
@Module({})
export class ServiceRuntimeModule {
  static forRoot(definition: ServiceDefinition): DynamicModule {
    const transportModule = transportModuleFor(definition);
    return {
      module: ServiceRuntimeModule,
      global: true,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, load: [runtimeConfig] }),
        transportModule,
        TypeOrmModule.forRootAsync({
          inject: [runtimeConfig.KEY],
          useFactory: (config: RuntimeConfig) =>
            typeOrmOptions(
              config,
              definition,
              resolveService(config, definition),
              OUTBOX_SCHEMA_PARTS,
            ),
          dataSourceFactory: (options?: DataSourceOptions) =>
            createDataSource(options),
        }),
        OutboxModule.forRootAsync({
          isGlobal: true,
          imports: [transportModule],
          inject: [MESSAGING_TRANSPORT],
          useFactory: (transport: MessagingTransport) => ({
            publisher: transport.client,
            relay: serviceRelayOptions(),
          }),
        }),
      ],
      controllers: [HealthController, DeadLettersController],
      providers: [HealthService],
      exports: [transportModule],
    };
  }
}

/** The transport and the service's resolved names, for the module above. */
function transportModuleFor(definition: ServiceDefinition): DynamicModule {
  return {
    module: ServiceTransportModule,
    providers: [
      { provide: SERVICE_DEFINITION, useValue: definition },
      {
        provide: RESOLVED_SERVICE,
        inject: [runtimeConfig.KEY],
        useFactory: (config: RuntimeConfig) =>
          resolveService(config, definition),
      },
      {
        provide: MESSAGING_TRANSPORT,
        inject: [runtimeConfig.KEY, RESOLVED_SERVICE],
        useFactory: (config: RuntimeConfig, service: ResolvedService) =>
          createTransport({ config, service }),
      },
      TransportLifecycle,
    ],
    exports: [SERVICE_DEFINITION, RESOLVED_SERVICE, MESSAGING_TRANSPORT],
  };
}

@Module({})
class ServiceTransportModule {}

async function createDataSource(
  options: DataSourceOptions | undefined,
): Promise<DataSource> {
  if (options?.type !== 'postgres' || !options.url || !options.schema) {
    throw new TypeError(
      'ServiceRuntimeModule: expected postgres options with url and schema',
    );
  }
  return initializeWithMigrations(
    new DataSource(options),
    options.url,
    options.schema,
  );
}
