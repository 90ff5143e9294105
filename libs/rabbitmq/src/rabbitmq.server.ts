import {
  HeaderNames,
  ReliableServer,
  type InboundDelivery,
  type TransportHealth,
} from '@mq/core';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  orderingKeyOf,
  routableType,
  toInboundDelivery,
} from './amqp-delivery.js';
import { readHeaders } from './amqp-message.js';
import { ConfirmedPublisher } from './confirmed.publisher.js';
import { ConsumerChannel } from './consumer-channel.js';
import { delayBucketsOf } from './delay-buckets.js';
import { DeliveryOutcomeExecutor } from './delivery-outcome.executor.js';
import {
  COPY_FAILURE_BACKOFF_MS,
  RABBITMQ_DEFAULTS,
} from './rabbitmq.constants.js';
import {
  RabbitMqConnection,
  resolveConnectionOptions,
  type ResolvedConnectionOptions,
} from './rabbitmq.connection.js';
import { RequestResponder } from './rabbitmq-request.responder.js';
import type { RabbitMqServerOptions } from './rabbitmq-server.options.js';
import {
  declareEventsExchange,
  declareGroupQueues,
  declareRequestQueue,
  RabbitMqTopology,
} from './rabbitmq.topology.js';

/**
 * Nest server strategy for RabbitMQ. Each consumer group has one durable
 * work queue bound to the events exchange by the `@EventPattern`s it
 * handles; a delivery is acked only after its handler succeeded, or after a
 * retry or dead-letter copy of it was confirmed by the broker. Retries wait
 * in per-delay queues and come back through dead-lettering, so a long delay
 * never holds up a short one. `@MessagePattern`s are served from
 * `<prefix>.rpc.<pattern>` queues with replies to the caller's reply-to.
 */
export class RabbitMqServer extends ReliableServer {
  /** The broker-side name of this server's connection. */
  readonly connectionName: string;
  readonly topology: RabbitMqTopology;
  readonly workQueue: string;
  readonly deadLetterQueue: string;
  /** Delay queues this server declares, from its retry policy. */
  readonly delayBuckets: readonly number[];

  private readonly connectionOptions: ResolvedConnectionOptions;
  private readonly prefetch: number;
  private readonly singleActiveConsumer: boolean;
  private readonly queueArguments: Record<string, unknown>;
  private readonly publishTimeoutMs: number;
  private readonly responder: RequestResponder;
  private readonly outcomes: DeliveryOutcomeExecutor;
  /** Dead-letter moves that skip the scheduler: they run no handler. */
  private readonly direct = new Set<Promise<void>>();
  private connection: RabbitMqConnection | undefined;
  private publisher: ConfirmedPublisher | undefined;
  private consumer: ChannelWrapper | undefined;
  private active: ConsumerChannel | undefined;
  private listening = false;
  private closing = false;
  private closed: Promise<void> | undefined;

  constructor(options: RabbitMqServerOptions) {
    super(options, RabbitMqServer.name);
    this.connectionOptions = resolveConnectionOptions(options, 'server');
    this.connectionName = this.connectionOptions.connectionName;
    this.topology = new RabbitMqTopology(this.connectionOptions.prefix);
    this.workQueue = this.topology.workQueue(this.consumerGroup);
    this.deadLetterQueue = this.topology.deadLetterQueue(this.consumerGroup);
    this.delayBuckets = delayBucketsOf(this.retryPolicy);
    this.prefetch =
      options.prefetch ??
      this.concurrency * RABBITMQ_DEFAULTS.prefetchPerHandler;
    if (!Number.isInteger(this.prefetch) || this.prefetch < 1) {
      throw new RangeError(
        `RabbitMqServer: prefetch must be an integer >= 1, got ${this.prefetch}`,
      );
    }
    this.singleActiveConsumer = options.singleActiveConsumer ?? false;
    this.queueArguments = options.queueArguments ?? {};
    this.publishTimeoutMs =
      options.publishTimeoutMs ?? RABBITMQ_DEFAULTS.publishTimeoutMs;
    this.responder = new RequestResponder({
      consumerGroup: this.consumerGroup,
      handlerTimeoutMs: this.handlerTimeoutMs,
      resolveHandler: (pattern) => this.findHandler(pattern),
      logger: this.logger,
    });
    this.outcomes = new DeliveryOutcomeExecutor({
      topology: this.topology,
      consumerGroup: this.consumerGroup,
      delayBuckets: this.delayBuckets,
      publisher: () => this.requirePublisher(),
      logger: this.logger,
    });
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /**
   * Graceful shutdown: cancels the consumers, lets running handlers finish
   * and ack (at most `shutdownTimeoutMs`), hands deliveries that had not
   * started back to the broker, then closes the channels and connection.
   */
  close(): Promise<void> {
    this.closing = true;
    this.closed ??= this.shutdown();
    return this.closed;
  }

  unwrap<T>(): T {
    if (!this.connection) {
      throw new Error('RabbitMqServer is not listening');
    }
    return this.connection.manager as T;
  }

  health(): TransportHealth {
    if (!this.listening || !this.connection) {
      return {
        status: 'down',
        detail: this.closing ? 'closed' : 'not started',
      };
    }
    if (!this.connection.connected) {
      return { status: 'down', detail: this.connection.downReason };
    }
    if (!this.active?.open) {
      return { status: 'down', detail: 'setting up the consumer channel' };
    }
    return {
      status: 'up',
      detail: `consuming for group ${this.consumerGroup} on ${this.connection.endpoint}`,
    };
  }

  private async start(): Promise<void> {
    const connection = new RabbitMqConnection(
      this.connectionOptions,
      this.logger,
    );
    this.connection = connection;
    try {
      await connection.open();
      if (this.closing) {
        throw new Error('RabbitMqServer was closed while it started');
      }
      this.publisher = new ConfirmedPublisher(connection, {
        name: 'server-publisher',
        publishTimeoutMs: this.publishTimeoutMs,
      });
      this.consumer = connection.createChannel({
        name: 'server-consumer',
        confirm: false,
      });
      await this.consumer.waitForConnect();
      // Run now, so a topology conflict fails listen() instead of looping.
      await this.consumer.addSetup((channel: Channel) =>
        this.setupConsumer(channel),
      );
    } catch (error) {
      this.closing = true;
      await this.closeChannels();
      throw error;
    }
    this.listening = true;
    for (const pattern of this.eventPatterns()) {
      this.logBinding(pattern, this.workQueue);
    }
    for (const pattern of this.requestPatterns()) {
      this.logBinding(pattern, this.topology.requestQueue(pattern));
    }
  }

  /** Runs on every (re)connect: topology, prefetch, consumers. */
  private async setupConsumer(channel: Channel): Promise<void> {
    const state = new ConsumerChannel(channel, this.logger);
    channel.on('close', () => {
      if (this.active === state) {
        this.active = undefined;
      }
    });
    channel.on('error', (error: Error) => {
      if (this.listening && !this.closing) {
        this.connection?.recover(`server-consumer: ${error.message}`);
      }
    });
    await this.declareTopology(channel);
    if (this.closing) {
      return;
    }
    await channel.prefetch(this.prefetch);
    if (this.eventPatterns().length > 0) {
      await state.consume(this.workQueue, (msg) => this.onEvent(state, msg));
    }
    for (const pattern of this.requestPatterns()) {
      const queue = this.topology.requestQueue(pattern);
      await state.consume(queue, (msg) => this.onRequest(state, msg, queue));
    }
    this.active = state;
  }

  private async declareTopology(channel: Channel): Promise<void> {
    await declareEventsExchange(channel, this.topology);
    const patterns = this.eventPatterns();
    if (patterns.length > 0) {
      await declareGroupQueues(channel, this.topology, {
        group: this.consumerGroup,
        patterns,
        workQueueArguments: this.workQueueArguments(),
        delayBuckets: this.delayBuckets,
      });
    }
    for (const pattern of this.requestPatterns()) {
      await declareRequestQueue(channel, this.topology, pattern);
    }
  }

  private workQueueArguments(): Record<string, unknown> {
    return {
      ...this.queueArguments,
      ...(this.singleActiveConsumer
        ? { 'x-single-active-consumer': true }
        : {}),
    };
  }

  private onEvent(state: ConsumerChannel, msg: ConsumeMessage | null): void {
    if (!msg) {
      this.onCancelled();
      return;
    }
    if (this.closing) {
      state.release(msg);
      return;
    }
    const delivery = toInboundDelivery(
      msg,
      this.workQueue,
      this.topology.eventsExchange,
    );
    if (this.cannotBeHandled(delivery)) {
      // Malformed or unhandled: dead-letter now, without waiting for a slot.
      this.track(
        this.settle(state, msg, delivery).catch((error: unknown) =>
          this.onTaskFailure(state, msg, error),
        ),
      );
      return;
    }
    void this.scheduler
      .schedule(orderingKeyOf(msg, delivery), () =>
        this.settle(state, msg, delivery),
      )
      .catch((error: unknown) => this.onTaskFailure(state, msg, error));
  }

  private onRequest(
    state: ConsumerChannel,
    msg: ConsumeMessage | null,
    queue: string,
  ): void {
    if (!msg) {
      this.onCancelled();
      return;
    }
    if (this.closing) {
      state.release(msg);
      return;
    }
    const headers = readHeaders(msg);
    const key = headers[HeaderNames.key] || `request:${msg.fields.deliveryTag}`;
    void this.scheduler
      .schedule(key, async () => {
        if (this.closing) {
          state.release(msg);
          return;
        }
        await this.responder.respond(
          msg,
          headers,
          queue,
          this.requirePublisher(),
        );
        state.ack(msg, headers[HeaderNames.id]);
      })
      .catch((error: unknown) => this.onTaskFailure(state, msg, error));
  }

  /** Processes one delivery and carries out the outcome. */
  private async settle(
    state: ConsumerChannel,
    msg: ConsumeMessage,
    delivery: InboundDelivery,
  ): Promise<void> {
    if (this.closing) {
      state.release(msg);
      return;
    }
    const outcome = await this.processor.process(delivery);
    await this.outcomes.execute(state, msg, delivery, outcome);
  }

  private async onTaskFailure(
    state: ConsumerChannel,
    msg: ConsumeMessage,
    error: unknown,
  ): Promise<void> {
    const id = readHeaders(msg)[HeaderNames.id] ?? '?';
    this.logger.error(
      `unexpected failure for id=${id}: ${(error as Error)?.message ?? error}; ` +
        `it goes back to the queue in ${COPY_FAILURE_BACKOFF_MS} ms`,
    );
    await sleep(COPY_FAILURE_BACKOFF_MS);
    state.release(msg);
  }

  private onCancelled(): void {
    if (!this.closing) {
      this.connection?.recover('the broker cancelled a consumer');
    }
  }

  /**
   * True for a delivery with no id, no type or no handler for its type:
   * it is dead-lettered at once, without waiting for a handler slot.
   */
  private cannotBeHandled(delivery: InboundDelivery): boolean {
    const type = routableType(delivery);
    return !type || this.findHandler(type) === null;
  }

  private track(task: Promise<void>): void {
    this.direct.add(task);
    void task.finally(() => this.direct.delete(task));
  }

  private requirePublisher(): ConfirmedPublisher {
    if (!this.publisher) {
      throw new Error('RabbitMqServer is not listening');
    }
    return this.publisher;
  }

  private async shutdown(): Promise<void> {
    await this.active?.cancel();
    if (this.listening) {
      await this.drainInFlight();
      await Promise.allSettled(this.direct);
    }
    // Acks are sent once per turn: send the last ones before closing.
    this.active?.flush();
    await this.closeChannels();
    this.listening = false;
  }

  private async closeChannels(): Promise<void> {
    await this.publisher?.close();
    await this.consumer?.close();
    await this.connection?.close();
  }
}
