import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  MESSAGING_TRANSPORT,
  type MessagingTransport,
} from './messaging-transport.js';

/**
 * Connects the client at startup and closes it (and the dead-letter
 * store) last. Nest closes the
 * server itself (it is the microservice's strategy); the client outlives
 * it so that handlers still running during the drain can be published for
 * by the relay, which stops before the client closes.
 */
@Injectable()
export class TransportLifecycle
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(TransportLifecycle.name);

  constructor(
    @Inject(MESSAGING_TRANSPORT) private readonly transport: MessagingTransport,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.transport.client.connect();
    } catch (error) {
      // Not fatal: the outbox keeps the messages and the relay retries
      // (and so reconnects) with backoff; /health shows it meanwhile.
      this.logger.warn(
        `${this.transport.name} client could not connect yet: ` +
          (error instanceof Error ? error.message : String(error)),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transport.deadLetters.close?.();
    await this.transport.client.close();
  }
}
