import type { EnvelopePublisher } from '@mq/core';
import type { DataSource } from 'typeorm';
import type { OutboxRelayOptions } from '../relay/outbox-relay.options.js';

/** Options of OutboxModule.forRoot / the factory of forRootAsync. */
export interface OutboxModuleOptions {
  /**
   * Where the relay publishes: in this project, the transport client
   * (every ReliableClientProxy is an EnvelopePublisher). With forRootAsync,
   * inject the client and return it here. Required unless
   * `relay.enabled` is false.
   */
  publisher?: EnvelopePublisher;
  /** Relay settings; see OutboxRelayOptions for defaults. */
  relay?: Omit<OutboxRelayOptions, 'channel'>;
  /**
   * NOTIFY channel shared by OutboxService and the relay.
   * @default `<schema>_outbox`
   */
  channel?: string;
  /**
   * Largest encoded payload `add` accepts, in bytes.
   * @default 262144 (DEFAULT_MAX_MESSAGE_BYTES)
   */
  maxMessageBytes?: number;
  /** Longest ordering key `add` accepts, in UTF-8 bytes. @default 1024 */
  maxKeyBytes?: number;
}

/** Given next to the options, as they shape the module itself. */
export interface OutboxModuleExtras {
  /** Register the module globally. @default false */
  isGlobal?: boolean;
  /**
   * The TypeORM DataSource holding the outbox: the name given to
   * TypeOrmModule.forRoot, or a DataSource instance.
   * @default the default DataSource of TypeOrmModule
   */
  dataSource?: string | DataSource;
}
