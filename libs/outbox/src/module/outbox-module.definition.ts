import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  OutboxModuleExtras,
  OutboxModuleOptions,
} from './outbox-module.options.js';

/** Injection token of the DataSource the outbox module works on. */
export const OUTBOX_DATA_SOURCE = Symbol('OUTBOX_DATA_SOURCE');

export const {
  ConfigurableModuleClass: ConfigurableOutboxModule,
  MODULE_OPTIONS_TOKEN: OUTBOX_MODULE_OPTIONS,
  OPTIONS_TYPE: OUTBOX_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: OUTBOX_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<OutboxModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<OutboxModuleExtras>(
    { isGlobal: false, dataSource: undefined },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
      providers: [
        ...(definition.providers ?? []),
        dataSourceProvider(extras.dataSource),
      ],
    }),
  )
  .build();

// Chosen when the module is defined rather than in the options factory, so
// Nest waits for TypeOrmModule's asynchronous DataSource before using it.
function dataSourceProvider(dataSource: string | DataSource | undefined) {
  const provider: Provider =
    dataSource instanceof DataSource
      ? { provide: OUTBOX_DATA_SOURCE, useValue: dataSource }
      : {
          provide: OUTBOX_DATA_SOURCE,
          useExisting: getDataSourceToken(dataSource),
        };
  return provider;
}
