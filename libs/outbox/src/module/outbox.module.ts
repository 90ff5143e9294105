import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InboxService } from '../inbox/inbox.service.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { OutboxRelay } from '../relay/outbox-relay.js';
import {
  ConfigurableOutboxModule,
  OUTBOX_DATA_SOURCE,
  OUTBOX_MODULE_OPTIONS,
} from './outbox-module.definition.js';
import type { OutboxModuleOptions } from './outbox-module.options.js';

/**
 * The outbox of one service: OutboxService and InboxService to use inside
 * transactions, and the OutboxRelay, started on application bootstrap and
 * stopped (batch in flight finished) when the application closes.
 *
 * ```ts
 * OutboxModule.forRootAsync({
 *   isGlobal: true,
 *   inject: [ORDERS_CLIENT],
 *   useFactory: (client: ReliableClientProxy) => ({ publisher: client }),
 * })
 * ```
 */
@Module({
  providers: [
    {
      provide: OutboxService,
      inject: [OUTBOX_MODULE_OPTIONS],
      useFactory: (options: OutboxModuleOptions) =>
        new OutboxService({
          channel: options.channel,
          maxMessageBytes: options.maxMessageBytes,
          maxKeyBytes: options.maxKeyBytes,
        }),
    },
    {
      provide: InboxService,
      inject: [OUTBOX_DATA_SOURCE],
      useFactory: (dataSource: DataSource) => new InboxService(dataSource),
    },
    {
      provide: OutboxRelay,
      inject: [OUTBOX_DATA_SOURCE, OUTBOX_MODULE_OPTIONS],
      useFactory: (dataSource: DataSource, options: OutboxModuleOptions) =>
        new OutboxRelay(dataSource, options.publisher, {
          ...options.relay,
          channel: options.channel,
        }),
    },
  ],
  exports: [OutboxService, InboxService, OutboxRelay],
})
export class OutboxModule extends ConfigurableOutboxModule {}
