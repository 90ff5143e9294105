import type {
  DeadLetterStore,
  ReliableClientProxy,
  ReliableServer,
} from '@mq/core';
import type { RuntimeConfig, TransportName } from '../config/runtime-config.js';
import type { ResolvedService } from '../service-definition.js';

/** The broker side of one service: its server strategy and its client. */
export interface MessagingTransport {
  readonly name: TransportName;
  /** Consumes; connect it with `app.connectMicroservice({ strategy })`. */
  readonly server: ReliableServer;
  /** Publishes; the outbox relay is its only user in the services. */
  readonly client: ReliableClientProxy;
  /** This service's dead letters (its consumer group's). */
  readonly deadLetters: ClosableDeadLetterStore;
}

/** Stores that open their own connections also close them. */
export type ClosableDeadLetterStore = DeadLetterStore & {
  close?(): Promise<void>;
};

/** Injection token of the service's MessagingTransport. */
export const MESSAGING_TRANSPORT = Symbol('MESSAGING_TRANSPORT');

/** What a transport factory gets to build the server and the client. */
export interface TransportSettings {
  readonly config: RuntimeConfig;
  readonly service: ResolvedService;
}
