import type { INestMicroservice, Type } from '@nestjs/common';
import type {
  DeadLetterStore,
  ReliableClientProxy,
  ReliableServer,
} from '@mq/core';
import { startMicroservice } from '../nest/start-microservice.js';
import type { ConsumerHarnessOptions } from '../process/consumer-harness.protocol.js';
import { ConsumerProcess } from '../process/consumer-process.js';
import { SUITE_SERVER_DEFAULTS } from './suite-defaults.js';
import type {
  KitClientOptions,
  KitServerOptions,
  TransportFeatures,
  TransportTestKit,
} from './transport-test-kit.js';

/** A microservice a case started; `close()` may be called more than once. */
export interface StartedServer {
  readonly server: ReliableServer;
  readonly app: INestMicroservice;
  close(): Promise<void>;
}

/**
 * What one case works with: its own kit (and so its own namespace) and
 * factories that remember what they started, so `dispose()` closes child
 * processes, servers, clients and the kit's namespace however the case
 * ended.
 */
export class CaseContext {
  private readonly children: ConsumerProcess[] = [];
  private readonly servers: StartedServer[] = [];
  private readonly clients: ReliableClientProxy[] = [];

  constructor(
    readonly kit: TransportTestKit,
    private readonly kitModule: string,
  ) {}

  get features(): TransportFeatures {
    return this.kit.features;
  }

  /** A consumer group name that is unique to this case's namespace. */
  group(name: string): string {
    return `${this.kit.namespace}_${name}`;
  }

  /** The suite's default server options for `consumerGroup`, overridden. */
  serverOptions(
    consumerGroup: string,
    overrides: Partial<KitServerOptions> = {},
  ): KitServerOptions {
    return { ...SUITE_SERVER_DEFAULTS, ...overrides, consumerGroup };
  }

  /** As serverOptions, plus the kit's short lease or visibility timeout. */
  crashRecoveryServerOptions(
    consumerGroup: string,
    overrides: Partial<KitServerOptions> = {},
  ): KitServerOptions {
    return {
      ...this.serverOptions(consumerGroup, overrides),
      ...this.kit.crashRecoveryOptions,
    };
  }

  deadLetters(consumerGroup: string): DeadLetterStore {
    return this.kit.deadLetters(consumerGroup);
  }

  /** Boots a Nest microservice on a new server of the kit. */
  async startServer(
    options: KitServerOptions,
    controllers: readonly Type[],
  ): Promise<StartedServer> {
    const server = this.kit.createServer(options);
    const app = await startMicroservice({ strategy: server, controllers });
    let closing: Promise<void> | undefined;
    const started: StartedServer = {
      server,
      app,
      close: () => (closing ??= app.close()),
    };
    this.servers.push(started);
    return started;
  }

  /** A connected client of the kit. */
  async startClient(options?: KitClientOptions): Promise<ReliableClientProxy> {
    const client = this.kit.createClient(options);
    this.clients.push(client);
    await client.connect();
    return client;
  }

  /** A consumer in a child process sharing this case's namespace. */
  async spawnConsumer(
    options: Omit<ConsumerHarnessOptions, 'kitModule' | 'namespace'>,
  ): Promise<ConsumerProcess> {
    const child = await ConsumerProcess.spawn({
      ...options,
      kitModule: this.kitModule,
      namespace: this.kit.namespace,
    });
    this.children.push(child);
    return child;
  }

  /**
   * Stops everything the case started, children first and the namespace
   * last, and returns every failure instead of stopping at the first.
   */
  async dispose(): Promise<unknown[]> {
    const failures: unknown[] = [];
    const attempt = async (step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    };
    for (const child of this.children) {
      await attempt(() => child.kill());
    }
    for (const started of this.servers.toReversed()) {
      await attempt(() => started.close());
    }
    for (const client of this.clients.toReversed()) {
      await attempt(() => client.close());
    }
    await attempt(() => this.kit.teardown());
    return failures;
  }
}
