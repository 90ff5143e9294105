import type { ReliableServer } from '@mq/core';
import type {
  KitClientOptions,
  KitServerOptions,
  TransportTestKit,
} from '@mq/testing';
import { connect, type ChannelModel, type GetMessage } from 'amqplib';
import { randomBytes } from 'node:crypto';
import {
  RabbitMqClient,
  RabbitMqDeadLetterStore,
  type RabbitMqClientOptions,
  RabbitMqServer,
  RabbitMqTopology,
} from '../src/index.js';
import { brokerAdmin, type BrokerAdmin } from './support/broker-admin.js';

/** The broker the tests use. */
export function rabbitMqUrl(): string {
  return process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
}

/**
 * The RabbitMQ kit of the conformance suite. The namespace is the topology
 * prefix, so each test sees only its own exchange and queues. No Vitest
 * import: a child process loads this module too.
 */
export function createTestKit(namespace: string): RabbitMqTestKit {
  return new RabbitMqTestKit(namespace);
}

export class RabbitMqTestKit implements TransportTestKit {
  readonly name = 'rabbitmq';
  readonly features = { orderingByKey: true, requestReply: true };
  readonly url = rabbitMqUrl();
  readonly topology: RabbitMqTopology;

  private readonly suffix = randomBytes(3).toString('hex');
  private readonly stores: RabbitMqDeadLetterStore[] = [];
  private sequence = 0;
  private raw: Promise<ChannelModel> | undefined;
  private admin: Promise<BrokerAdmin> | undefined;

  constructor(readonly namespace: string) {
    this.topology = new RabbitMqTopology(namespace);
  }

  async setup(): Promise<void> {
    const channel = await (await this.connection()).createChannel();
    await channel.assertExchange(this.topology.eventsExchange, 'topic', {
      durable: true,
    });
    await channel.close();
  }

  /** Deletes every queue and exchange whose name starts with the namespace. */
  async teardown(): Promise<void> {
    for (const store of this.stores.splice(0)) {
      await store.close();
    }
    const admin = await this.brokerAdmin();
    const prefix = `${this.namespace}.`;
    const [allQueues, allExchanges] = await Promise.all([
      admin.queues(),
      admin.exchanges(),
    ]);
    const queues = allQueues.filter((q) => q.startsWith(prefix));
    const exchanges = allExchanges.filter((e) => e.startsWith(prefix));
    const channel = await (await this.connection()).createChannel();
    for (const queue of queues) {
      await channel.deleteQueue(queue);
    }
    for (const exchange of exchanges) {
      await channel.deleteExchange(exchange);
    }
    await channel.close();
    const raw = this.raw;
    this.raw = undefined;
    await (await raw)?.close();
  }

  createServer(options: KitServerOptions): RabbitMqServer {
    return new RabbitMqServer({
      reconnectDelayMs: 200,
      shutdownTimeoutMs: 5000,
      ...options,
      url: this.url,
      prefix: this.namespace,
      connectionName: this.connectionName('server'),
    });
  }

  createClient(
    options: KitClientOptions & Partial<RabbitMqClientOptions> = {},
  ): RabbitMqClient {
    return new RabbitMqClient({
      url: this.url,
      prefix: this.namespace,
      reconnectDelayMs: 200,
      connectionName: this.connectionName('client'),
      ...options,
    });
  }

  deadLetters(consumerGroup: string): RabbitMqDeadLetterStore {
    const store = new RabbitMqDeadLetterStore({
      url: this.url,
      prefix: this.namespace,
      consumerGroup,
      connectionName: this.connectionName('dead-letters'),
    });
    this.stores.push(store);
    return store;
  }

  /** Publishes bytes unchanged to the events exchange, with confirm. */
  async publishRaw(
    type: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    await this.publishToExchange(
      this.topology.eventsExchange,
      type,
      headers,
      body,
    );
  }

  /** Publishes bytes unchanged through the default exchange to `queue`. */
  async publishToQueue(
    queue: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    await this.publishToExchange('', queue, headers, body);
  }

  async dropServerConnections(server: ReliableServer): Promise<void> {
    if (!(server instanceof RabbitMqServer)) {
      throw new TypeError('dropServerConnections needs a RabbitMqServer');
    }
    await this.dropConnection(server.connectionName);
  }

  /** Closes from the broker's side the connection with this name. */
  async dropConnection(connectionName: string): Promise<void> {
    const admin = await this.brokerAdmin();
    const closed = await admin.closeConnections(
      connectionName,
      'test: dropped by the broker',
    );
    if (closed === 0) {
      throw new Error(`no broker connection is named ${connectionName}`);
    }
  }

  /** Message count of a queue, or undefined when it does not exist. */
  async queueDepth(queue: string): Promise<number | undefined> {
    const channel = await (await this.connection()).createChannel();
    let open = true;
    channel.on('close', () => {
      open = false;
    });
    // A missing queue closes the channel with a 404; the call rejects too.
    let channelError: Error | undefined;
    channel.on('error', (error: Error) => {
      channelError = error;
    });
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) {
        return undefined;
      }
      throw channelError ?? error;
    } finally {
      if (open) {
        await channel.close();
      }
    }
  }

  /** Deletes a queue, e.g. a delay queue, so a copy to it is unroutable. */
  async deleteQueue(queue: string): Promise<void> {
    const channel = await (await this.connection()).createChannel();
    await channel.deleteQueue(queue);
    await channel.close();
  }

  /** Binds `queue` to the namespace's events exchange. */
  async bind(queue: string, pattern: string): Promise<void> {
    const channel = await (await this.connection()).createChannel();
    await channel.bindQueue(queue, this.topology.eventsExchange, pattern);
    await channel.close();
  }

  /** Takes (and acks) every message of a queue, for assertions. */
  async takeAll(queue: string): Promise<GetMessage[]> {
    const channel = await (await this.connection()).createChannel();
    const taken: GetMessage[] = [];
    try {
      for (;;) {
        const message = await channel.get(queue, { noAck: true });
        if (message === false) {
          return taken;
        }
        taken.push(message);
      }
    } finally {
      await channel.close();
    }
  }

  /** Names of the broker's connections right now. */
  async connectionNames(): Promise<string[]> {
    return (await this.brokerAdmin()).connectionNames();
  }

  /** Declares a queue the way an operator (or an older version) might have. */
  async declareQueue(
    queue: string,
    args: Record<string, unknown>,
  ): Promise<void> {
    const channel = await (await this.connection()).createChannel();
    await channel.assertQueue(queue, { durable: true, arguments: args });
    await channel.close();
  }

  private async publishToExchange(
    exchange: string,
    routingKey: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    const channel = await (await this.connection()).createConfirmChannel();
    try {
      channel.publish(exchange, routingKey, body, {
        headers,
        persistent: true,
      });
      await channel.waitForConfirms();
    } finally {
      await channel.close();
    }
  }

  private connection(): Promise<ChannelModel> {
    if (!this.raw) {
      const opening = connect(this.url, {
        clientProperties: { connection_name: this.connectionName('kit') },
      });
      // A connection the broker closed (a restart, close_connection) is
      // dropped, so the next call opens a new one instead of failing.
      void opening.then(
        (model) => {
          model.on('error', (error: Error) => {
            process.stderr.write(`rabbitmq kit: ${error.message}\n`);
          });
          model.on('close', () => {
            if (this.raw === opening) {
              this.raw = undefined;
            }
          });
        },
        () => {
          if (this.raw === opening) {
            this.raw = undefined;
          }
        },
      );
      this.raw = opening;
    }
    return this.raw;
  }

  private brokerAdmin(): Promise<BrokerAdmin> {
    this.admin ??= brokerAdmin(this.url);
    return this.admin;
  }

  private connectionName(role: string): string {
    this.sequence += 1;
    return `${this.namespace}.${role}.${this.suffix}.${this.sequence}`;
  }
}
