import { ReliableServer, type TransportHealth } from '@mq/core';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { createKafka } from './connection/create-kafka.js';
import { createProducer } from './connection/create-producer.js';
import type { KafkaConnectionOptions } from './connection/kafka-connection.options.js';
import {
  BatchProcessor,
  type ConsumerState,
} from './consumer/batch-processor.js';
import { ConsumerHealth } from './consumer/consumer-health.js';
import { OutcomeWriter } from './consumer/outcome-writer.js';
import { RetryGate } from './consumer/retry-gate.js';
import type { TopicRoute } from './consumer/topic-route.js';
import { KAFKA_DEFAULTS } from './kafka.constants.js';
import { ProduceBatcher } from './producer/produce-batcher.js';
import type { KafkaServerOptions } from './kafka-server.options.js';
import { KafkaTopicNames } from './topics/kafka-topic-names.js';
import { TopicProvisioner } from './topics/topic-provisioner.js';

/**
 * Nest server strategy for Kafka. One consumer per server reads the main
 * topic of every `@EventPattern` and the group's retry topics; handlers run
 * through the keyed scheduler; offsets are committed manually, only up to
 * the contiguous-done watermark and only within the generation that
 * fetched them. Failed messages move to retry topics (held back by pausing
 * their partition until due) and finally to the group's dead-letter topic.
 *
 * @example
 * app.connectMicroservice(
 *   { strategy: new KafkaServer({
 *     brokers: ['127.0.0.1:9092'], consumerGroup: 'payment-service' }) },
 *   // In a hybrid app: lets ReliableMessagingModule's filter reach handlers.
 *   { inheritAppConfig: true },
 * );
 */
export class KafkaServer extends ReliableServer {
  private readonly connection: KafkaConnectionOptions;
  private readonly names: KafkaTopicNames;
  private readonly groupId: string;
  private readonly tiers: number;
  private readonly sessionTimeout: number;
  private readonly rebalanceTimeout: number;
  private readonly heartbeatInterval: number;
  private readonly maxWaitTimeInMs: number;
  private readonly partitionsConsumedConcurrently: number;
  private readonly fromBeginning: boolean;
  private readonly routes = new Map<string, TopicRoute>();
  private readonly gate = new RetryGate();
  private readonly consumerHealth: ConsumerHealth;
  private readonly state: ConsumerState;
  private readonly batches: BatchProcessor;
  private kafka?: Kafka;
  private admin?: Admin;
  private producer?: Producer;
  private consumer?: Consumer;
  private writer?: OutcomeWriter;
  private listening = false;
  private restarts = 0;
  private restartTimer?: NodeJS.Timeout;
  private closing?: Promise<void>;

  constructor(options: KafkaServerOptions) {
    super(options, KafkaServer.name);
    this.connection = options;
    this.names = new KafkaTopicNames(options.prefix ?? KAFKA_DEFAULTS.prefix);
    this.groupId = this.names.groupId(this.consumerGroup);
    this.tiers = Math.max(1, this.retryPolicy.maxAttempts - 1);
    this.sessionTimeout =
      options.sessionTimeout ?? KAFKA_DEFAULTS.sessionTimeout;
    this.rebalanceTimeout =
      options.rebalanceTimeout ?? KAFKA_DEFAULTS.rebalanceTimeout;
    this.heartbeatInterval =
      options.heartbeatInterval ?? KAFKA_DEFAULTS.heartbeatInterval;
    this.maxWaitTimeInMs =
      options.maxWaitTimeInMs ?? KAFKA_DEFAULTS.maxWaitTimeInMs;
    this.partitionsConsumedConcurrently =
      options.partitionsConsumedConcurrently ?? this.concurrency;
    this.fromBeginning = options.fromBeginning ?? true;
    if (this.heartbeatInterval >= this.sessionTimeout) {
      throw new RangeError(
        `KafkaServer: heartbeatInterval (${this.heartbeatInterval}) must be ` +
          `below sessionTimeout (${this.sessionTimeout})`,
      );
    }
    this.consumerHealth = new ConsumerHealth(
      this.sessionTimeout + this.heartbeatInterval + this.maxWaitTimeInMs,
      `group ${this.groupId}`,
    );
    this.state = {
      epoch: 0,
      closing: false,
      closeDeadline: 0,
      rebalancing: false,
      markAlive: () => this.consumerHealth.alive(),
    };
    this.batches = new BatchProcessor({
      processor: this.processor,
      scheduler: this.scheduler,
      writer: () => this.outcomeWriter(),
      gate: this.gate,
      routes: this.routes,
      state: this.state,
      tickMs: Math.max(100, Math.floor(this.heartbeatInterval / 2)),
      rebalanceGraceMs: Math.floor(this.rebalanceTimeout * 0.75),
    });
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /**
   * Stops fetching, lets in-flight handlers finish within
   * `shutdownTimeoutMs`, commits what finished, leaves the group and
   * closes every connection.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  health(): TransportHealth {
    if (this.listening && this.routes.size === 0) {
      return { status: 'up', detail: 'no event handlers bound' };
    }
    return this.consumerHealth.report();
  }

  /** The kafkajs consumer; throws before `listen`. */
  unwrap<T>(): T {
    if (!this.consumer) {
      throw new Error('KafkaServer is not listening');
    }
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    for (const pattern of this.requestPatterns()) {
      this.logger.warn(
        `@MessagePattern("${pattern}") is not served: the Kafka transport ` +
          'handles events only',
      );
    }
    const deadLetterTopics = this.buildRoutes();
    this.kafka = createKafka(this.connection, 'server');
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await new TopicProvisioner(this.admin, {
      partitions: this.connection.partitions ?? KAFKA_DEFAULTS.partitions,
      replicationFactor:
        this.connection.replicationFactor ?? KAFKA_DEFAULTS.replicationFactor,
    }).ensure([...this.routes.keys(), ...deadLetterTopics]);
    this.producer = createProducer(this.kafka, this.connection.clientRetry);
    await this.producer.connect();
    this.writer = new OutcomeWriter(
      new ProduceBatcher(this.producer),
      this.names,
      this.consumerGroup,
      this.tiers,
    );
    this.listening = true;
    if (this.routes.size > 0) {
      await this.startConsumer();
    }
    for (const route of this.routes.values()) {
      if (route.tier === 0) {
        this.logBinding(
          route.pattern,
          `${route.mainTopic} (+${this.tiers} retry topic(s), dlq)`,
        );
      }
    }
  }

  /** Maps every topic to read to its route; returns the DLQ topics. */
  private buildRoutes(): string[] {
    const deadLetterTopics: string[] = [];
    for (const pattern of this.eventPatterns()) {
      const mainTopic = this.names.main(pattern);
      this.routes.set(mainTopic, { pattern, mainTopic, tier: 0 });
      for (let tier = 1; tier <= this.tiers; tier += 1) {
        const topic = this.names.retry(mainTopic, this.consumerGroup, tier);
        this.routes.set(topic, { pattern, mainTopic, tier });
      }
      deadLetterTopics.push(
        this.names.deadLetter(mainTopic, this.consumerGroup),
      );
    }
    return deadLetterTopics;
  }

  private async startConsumer(): Promise<void> {
    const consumer = (this.kafka as Kafka).consumer({
      groupId: this.groupId,
      sessionTimeout: this.sessionTimeout,
      rebalanceTimeout: this.rebalanceTimeout,
      heartbeatInterval: this.heartbeatInterval,
      maxWaitTimeInMs: this.maxWaitTimeInMs,
      allowAutoTopicCreation: false,
      retry: this.connection.clientRetry,
    });
    this.watch(consumer);
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.routes.keys()],
      fromBeginning: this.fromBeginning,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.batches.run(payload),
    });
  }

  private watch(consumer: Consumer): void {
    const { events } = consumer;
    consumer.on(events.GROUP_JOIN, ({ payload }) => {
      this.state.epoch += 1;
      this.state.rebalancing = false;
      this.restarts = 0;
      this.consumerHealth.joined();
      const partitions = Object.values(payload.memberAssignment).flat();
      this.logger.log(
        `joined group ${this.groupId} with ${partitions.length} partition(s)`,
      );
    });
    consumer.on(events.HEARTBEAT, () => this.consumerHealth.alive());
    consumer.on(events.COMMIT_OFFSETS, () => this.consumerHealth.alive());
    consumer.on(events.CRASH, ({ payload }) =>
      this.onCrash(consumer, payload.error, payload.restart),
    );
  }

  private onCrash(consumer: Consumer, error: Error, restart: boolean): void {
    this.state.epoch += 1;
    this.consumerHealth.crashed(`consumer crashed: ${error.message}`);
    if (this.state.closing || consumer !== this.consumer) {
      return;
    }
    if (restart) {
      this.logger.warn(
        `consumer crashed (${error.name}: ${error.message}); kafkajs ` +
          'restarts it',
      );
      return;
    }
    this.scheduleRestart(error);
  }

  /** kafkajs gave up on the consumer: replace it, with growing backoff. */
  private scheduleRestart(cause: unknown): void {
    const delay = Math.min(
      KAFKA_DEFAULTS.restartInitialDelayMs * 2 ** this.restarts,
      KAFKA_DEFAULTS.restartMaxDelayMs,
    );
    this.restarts += 1;
    this.logger.error(
      `consumer stopped for good (${(cause as Error).message}); starting a ` +
        `new one in ${delay} ms`,
    );
    this.restartTimer = setTimeout(() => void this.restartConsumer(), delay);
  }

  private async restartConsumer(): Promise<void> {
    this.gate.clear();
    await this.quietly('stop the crashed consumer', () =>
      this.consumer?.disconnect(),
    );
    if (this.state.closing) {
      return;
    }
    try {
      await this.startConsumer();
    } catch (error) {
      this.consumerHealth.crashed(
        `consumer restart failed: ${(error as Error).message}`,
      );
      this.scheduleRestart(error);
    }
  }

  private async shutdown(): Promise<void> {
    this.state.closing = true;
    this.state.closeDeadline = Date.now() + this.shutdownTimeoutMs;
    clearTimeout(this.restartTimer);
    this.gate.clear();
    // disconnect() stops the fetch loop, waits for the running eachBatch
    // calls (they finish or give up at closeDeadline and commit what
    // finished), then leaves the group.
    await this.quietly('stop the consumer', () => this.consumer?.disconnect());
    if (this.scheduler.pending > 0) {
      this.logger.warn(
        `${this.scheduler.pending} handler(s) still running after close; ` +
          'their messages were not committed and will be redelivered',
      );
    }
    await this.quietly('close the producer', () => this.producer?.disconnect());
    await this.quietly('close the admin client', () =>
      this.admin?.disconnect(),
    );
    this.consumerHealth.closed();
    this.listening = false;
  }

  private outcomeWriter(): OutcomeWriter {
    if (!this.writer) {
      throw new Error('KafkaServer: producer is not connected');
    }
    return this.writer;
  }

  private async quietly(
    what: string,
    step: () => Promise<void> | undefined,
  ): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.logger.warn(`could not ${what}: ${(error as Error).message}`);
    }
  }
}
