import { Logger } from '@nestjs/common';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  PublishesInFlight,
  ReliableClientProxy,
  toWireMessage,
  type Envelope,
} from '@mq/core';
import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { createKafka } from './connection/create-kafka.js';
import { createProducer } from './connection/create-producer.js';
import { KAFKA_DEFAULTS } from './kafka.constants.js';
import type { KafkaClientOptions } from './kafka-client.options.js';
import { ProduceBatcher } from './producer/produce-batcher.js';
import {
  batchLimits,
  type BatchLimits,
} from './producer/produce-batching.options.js';
import { KafkaTopicNames } from './topics/kafka-topic-names.js';
import { TopicProvisioner } from './topics/topic-provisioner.js';

interface Connection {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
  readonly batcher: ProduceBatcher;
  readonly topics: TopicProvisioner;
}

/**
 * Nest client proxy for Kafka. Each envelope goes to the topic of its type
 * with the envelope key as Kafka key (same key, same partition, same
 * order), its headers as Kafka headers and the JSON payload as value,
 * through an idempotent producer with acks=all. Concurrent publishes share
 * produce requests (see ProduceBatcher); `publishEnvelopes` resolves once
 * the broker has acknowledged every one of its messages.
 */
export class KafkaClient extends ReliableClientProxy {
  private readonly logger = new Logger(KafkaClient.name);
  private readonly names: KafkaTopicNames;
  private readonly maxMessageBytes: number;
  private readonly publishTimeoutMs: number;
  private readonly batching: BatchLimits;
  private connection?: Promise<Connection>;
  private producer?: Producer;
  /** Publishes between their call and their answer; close waits for them. */
  private readonly publishing = new PublishesInFlight();

  constructor(private readonly options: KafkaClientOptions) {
    super();
    this.batching = batchLimits(options);
    this.names = new KafkaTopicNames(options.prefix ?? KAFKA_DEFAULTS.prefix);
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.publishTimeoutMs =
      options.publishTimeoutMs ?? KAFKA_DEFAULTS.publishTimeoutMs;
  }

  /** Connects once (see `connected`); resolves with the producer. */
  async connect(): Promise<Producer> {
    return (await this.connected()).producer;
  }

  /**
   * Lets the publishes already called get their answer (once queued, each
   * is bounded by publishTimeoutMs), then disconnects.
   */
  async close(): Promise<void> {
    const pending = this.connection;
    this.connection = undefined;
    this.producer = undefined;
    // Each of these already holds `pending` (taken before its first await);
    // a publish called from now on opens a new connection.
    await this.publishing.settled();
    if (!pending) {
      return;
    }
    const { producer, admin } = await pending;
    await producer.disconnect();
    await admin.disconnect();
  }

  /** The kafkajs producer; throws before the first connect. */
  unwrap<T>(): T {
    if (!this.producer) {
      throw new Error('KafkaClient is not connected');
    }
    return this.producer as T;
  }

  /**
   * Encodes every envelope first, so an oversized or unencodable one fails
   * before anything is sent, then queues them, in order, for the next
   * produce request (or requests, past `maxBatchMessages` or
   * `maxBatchBytes`).
   */
  async publishEnvelopes(envelopes: readonly Envelope[]): Promise<void> {
    if (envelopes.length === 0) {
      return;
    }
    await this.publishing.track(this.encodeAndQueue(envelopes));
  }

  private async encodeAndQueue(envelopes: readonly Envelope[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const envelope of envelopes) {
      const wire = toWireMessage(envelope, this.maxMessageBytes);
      const topic = this.names.main(envelope.type);
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: envelope.key,
        value: wire.body,
        headers: wire.headers,
      });
      byTopic.set(topic, messages);
    }

    const { batcher, topics } = await this.connected();
    await topics.ensure([...byTopic.keys()]);
    await batcher.send(
      [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      {
        timeoutMs: this.publishTimeoutMs,
        timeoutError: () => this.timeoutError(envelopes),
      },
    );
  }

  /**
   * Connects once; concurrent and later calls share the attempt. A failed
   * attempt is forgotten, so the next publish tries again.
   */
  private connected(): Promise<Connection> {
    this.connection ??= this.open().catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  private async open(): Promise<Connection> {
    const kafka = createKafka(this.options, 'client');
    const admin = kafka.admin();
    const producer = createProducer(kafka, this.options.clientRetry);
    await admin.connect();
    await producer.connect();
    this.producer = producer;
    const batcher = new ProduceBatcher(producer, this.batching);
    this.logger.log(`connected to ${this.options.brokers.join(',')}`);
    const topics = new TopicProvisioner(admin, {
      partitions: this.options.partitions ?? KAFKA_DEFAULTS.partitions,
      replicationFactor:
        this.options.replicationFactor ?? KAFKA_DEFAULTS.replicationFactor,
    });
    return { kafka, admin, producer, batcher, topics };
  }

  private timeoutError(envelopes: readonly Envelope[]): Error {
    const ids = envelopes
      .slice(0, 5)
      .map((envelope) => envelope.id)
      .join(', ');
    return new Error(
      `Kafka did not acknowledge ${envelopes.length} message(s) ` +
        `within ${this.publishTimeoutMs} ms (first ids ${ids}); they may ` +
        'still be written',
    );
  }
}
