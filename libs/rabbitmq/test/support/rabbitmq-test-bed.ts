import type { INestMicroservice, Type } from '@nestjs/common';
import { startMicroservice, uniqueName } from '@mq/testing';
import type {
  RabbitMqClient,
  RabbitMqClientOptions,
  RabbitMqServer,
  RabbitMqServerOptions,
} from '../../src/index.js';
import { createTestKit, type RabbitMqTestKit } from '../rabbitmq.test-kit.js';

/** Retries that keep a test fast. */
export const FAST_RETRY = {
  maxAttempts: 3,
  initialDelayMs: 50,
  multiplier: 1,
  maxDelayMs: 50,
  jitter: 0,
} as const;

export interface StartedServer {
  readonly server: RabbitMqServer;
  readonly app: INestMicroservice;
  close(): Promise<void>;
}

/**
 * One test's broker namespace with the servers and clients it started;
 * `dispose()` closes them and deletes the namespace's queues and exchange.
 */
export class RabbitMqTestBed {
  readonly kit: RabbitMqTestKit;
  private readonly servers: StartedServer[] = [];
  private readonly clients: RabbitMqClient[] = [];

  private constructor() {
    this.kit = createTestKit(uniqueName('rmq'));
  }

  static async create(): Promise<RabbitMqTestBed> {
    const bed = new RabbitMqTestBed();
    await bed.kit.setup();
    return bed;
  }

  get topology() {
    return this.kit.topology;
  }

  /** A Nest microservice on a new server of this namespace. */
  async startServer(
    options: Partial<RabbitMqServerOptions> & { consumerGroup: string },
    controllers: readonly Type[],
  ): Promise<StartedServer> {
    const server = this.kit.createServer({
      concurrency: 4,
      handlerTimeoutMs: 5000,
      retry: FAST_RETRY,
      ...options,
    });
    const app = await startMicroservice({ strategy: server, controllers });
    let closing: Promise<void> | undefined;
    const started = { server, app, close: () => (closing ??= app.close()) };
    this.servers.push(started);
    return started;
  }

  async startClient(
    options: Partial<RabbitMqClientOptions> = {},
  ): Promise<RabbitMqClient> {
    const client = this.kit.createClient(options);
    this.clients.push(client);
    await client.connect();
    return client;
  }

  async dispose(): Promise<void> {
    for (const started of this.servers.toReversed()) {
      await started.close();
    }
    for (const client of this.clients.toReversed()) {
      await client.close();
    }
    await this.kit.teardown();
  }
}
