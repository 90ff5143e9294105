import { Logger } from '@nestjs/common';
import {
  HeaderNames,
  parseDeadLetterHeaders,
  withoutDeadLetterHeaders,
  type DeadLetter,
  type DeadLetterListOptions,
  type DeadLetterMetadata,
  type DeadLetterStore,
} from '@mq/core';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createKafka } from '../connection/create-kafka.js';
import { createProducer } from '../connection/create-producer.js';
import { decodeHeaders } from '../consumer/kafka-headers.js';
import { KAFKA_DEFAULTS, KafkaHeaderNames } from '../kafka.constants.js';
import { KafkaTopicNames } from '../topics/kafka-topic-names.js';
import { TopicProvisioner } from '../topics/topic-provisioner.js';
import type { KafkaDeadLetterStoreOptions } from './kafka-dead-letter-store.options.js';
import {
  TopicReader,
  type TopicRecord,
  type TopicSnapshot,
} from './topic-reader.js';

interface Connection {
  readonly admin: Admin;
  readonly producer: Producer;
  readonly reader: TopicReader;
  readonly topics: TopicProvisioner;
}

interface Entry extends DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly messageKey: Buffer | null;
  readonly timestamp: number;
}

const REDRIVEN = '.redriven';

/** Headers that belong to one delivery history and restart on redrive. */
const HISTORY = [
  HeaderNames.attempt,
  HeaderNames.firstFailedAt,
  KafkaHeaderNames.dueAt,
];

/**
 * The dead letters of one consumer group, kept in its `<topic>.<group>.dlq`
 * topics. Kafka topics are append-only, so:
 *
 * - list, count and show read those topics from the oldest retained record
 *   (a throwaway consumer per call: fine for an operator, not a hot path);
 * - redrive publishes the message to the group's first retry topic, which
 *   only this group reads, with a fresh attempt count, then writes a marker
 *   keyed by the dead letter's partition and offset to the compacted topic
 *   `<dlq>.redriven`; marked records are no longer listed;
 * - purge deletes the records up to what it read (`deleteTopicRecords`).
 *
 * An id is `<dlq topic>:<partition>:<offset>`.
 */
export class KafkaDeadLetterStore implements DeadLetterStore {
  private readonly logger = new Logger(KafkaDeadLetterStore.name);
  private readonly names: KafkaTopicNames;
  private readonly group: string;
  private connection?: Promise<Connection>;

  constructor(private readonly options: KafkaDeadLetterStoreOptions) {
    if (!options.consumerGroup) {
      throw new TypeError('KafkaDeadLetterStore: consumerGroup is required');
    }
    this.names = new KafkaTopicNames(options.prefix ?? KAFKA_DEFAULTS.prefix);
    this.group = options.consumerGroup;
    this.names.groupId(this.group);
  }

  async list(options: DeadLetterListOptions = {}): Promise<DeadLetter[]> {
    const { destination, limit = 50 } = options;
    // Either the topic itself or the event type it carries.
    const wanted = new Set(
      destination === undefined
        ? []
        : [destination, this.prefixed(destination)],
    );
    const entries = await this.entries();
    return entries
      .filter(
        (entry) =>
          destination === undefined ||
          wanted.has(entry.metadata.originalDestination),
      )
      .slice(0, limit)
      .map(publicView);
  }

  async count(): Promise<number> {
    return (await this.entries()).length;
  }

  async show(id: string): Promise<DeadLetter | undefined> {
    const entry = await this.find(id);
    return entry && publicView(entry);
  }

  async redrive(id: string): Promise<boolean> {
    const entry = await this.find(id);
    if (!entry) {
      return false;
    }
    await this.send([entry]);
    return true;
  }

  async redriveAll(): Promise<number> {
    const entries = await this.entries();
    await this.send(entries);
    return entries.length;
  }

  /**
   * Deletes every record of the group's dead-letter topics up to the end
   * seen while counting; returns the number of dead letters (not yet
   * redriven) among them.
   */
  async purge(): Promise<number> {
    const { admin } = await this.connect();
    const { entries, snapshot } = await this.read();
    for (const topic of snapshot.ends.keys()) {
      if (!this.names.isDeadLetterTopic(topic, this.group)) {
        continue;
      }
      const partitions = [...(snapshot.ends.get(topic) ?? [])].map(
        ([partition, offset]) => ({ partition, offset }),
      );
      await admin.deleteTopicRecords({ topic, partitions });
    }
    this.logger.log(
      `purged ${entries.length} dead letter(s) of group ${this.group}`,
    );
    return entries.length;
  }

  async close(): Promise<void> {
    const pending = this.connection;
    this.connection = undefined;
    if (pending) {
      const { admin, producer } = await pending;
      await producer.disconnect();
      await admin.disconnect();
    }
  }

  private async find(id: string): Promise<Entry | undefined> {
    const parsed = parseId(id);
    if (!parsed || !this.names.isDeadLetterTopic(parsed.topic, this.group)) {
      return undefined;
    }
    const entries = await this.entries([parsed.topic]);
    return entries.find(
      (entry) =>
        entry.partition === parsed.partition && entry.offset === parsed.offset,
    );
  }

  /** Live dead letters, oldest first, optionally of some topics only. */
  private async entries(only?: string[]): Promise<Entry[]> {
    return (await this.read(only)).entries;
  }

  /**
   * One pass over the dead-letter topics and their marker topics (a single
   * throwaway consumer), keeping what was not redriven.
   */
  private async read(
    only?: string[],
  ): Promise<{ entries: Entry[]; snapshot: TopicSnapshot }> {
    const { admin, reader } = await this.connect();
    const existing = await admin.listTopics();
    const topics = existing
      .filter((topic) => this.names.isDeadLetterTopic(topic, this.group))
      .filter((topic) => !only || only.includes(topic))
      .sort();
    const markerTopics = topics
      .map((topic) => this.names.redriven(topic))
      .filter((topic) => existing.includes(topic));
    const snapshot = await reader.read([...topics, ...markerTopics]);

    const markers = new Set<string>();
    const records: TopicRecord[] = [];
    for (const record of snapshot.records) {
      if (markerTopics.includes(record.topic)) {
        const deadLetterTopic = record.topic.slice(0, -REDRIVEN.length);
        markers.add(`${deadLetterTopic}:${record.message.key?.toString()}`);
      } else {
        records.push(record);
      }
    }
    const entries = records
      .map((record) => toEntry(record))
      .filter(
        (entry) =>
          entry.metadata.consumerGroup === this.group &&
          !markers.has(markerKey(entry)),
      )
      .sort((a, b) => a.timestamp - b.timestamp);
    return { entries, snapshot };
  }

  /** Republishes for this group only, then marks the entries redriven. */
  private async send(entries: readonly Entry[]): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    const { producer, topics } = await this.connect();
    const retryTopic = (entry: Entry) =>
      this.names.retry(entry.metadata.originalDestination, this.group, 1);
    const markerTopic = (entry: Entry) => this.names.redriven(entry.topic);
    await topics.ensure([...new Set(entries.map(retryTopic))]);
    await topics.ensure([...new Set(entries.map(markerTopic))], {
      compacted: true,
      partitions: 1,
    });

    await producer.sendBatch({
      acks: -1,
      topicMessages: entries.map((entry) => ({
        topic: retryTopic(entry),
        messages: [
          {
            key: entry.messageKey,
            value: entry.body,
            headers: freshHeaders(entry.headers),
          },
        ],
      })),
    });
    const redrivenAt = new Date().toISOString();
    await producer.sendBatch({
      acks: -1,
      topicMessages: entries.map((entry) => ({
        topic: markerTopic(entry),
        messages: [
          {
            key: `${entry.partition}:${entry.offset}`,
            value: JSON.stringify({ redrivenAt, messageId: entry.messageId }),
          },
        ],
      })),
    });
    for (const entry of entries) {
      this.logger.log(
        `redrove ${entry.id} (message ${entry.messageId ?? '?'}, key ` +
          `${entry.key ?? '?'}) to ${retryTopic(entry)}`,
      );
    }
  }

  private prefixed(pattern: string): string {
    return `${this.names.prefix}${pattern}`;
  }

  private connect(): Promise<Connection> {
    this.connection ??= this.open().catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  private async open(): Promise<Connection> {
    const kafka: Kafka = createKafka(this.options, 'dead-letters');
    const admin = kafka.admin();
    const producer = createProducer(kafka, this.options.clientRetry);
    await admin.connect();
    await producer.connect();
    const reader = new TopicReader(
      kafka,
      admin,
      this.names.groupId(this.group),
      this.options.readTimeoutMs ?? KAFKA_DEFAULTS.readTimeoutMs,
    );
    const topics = new TopicProvisioner(admin, {
      partitions: this.options.partitions ?? KAFKA_DEFAULTS.partitions,
      replicationFactor:
        this.options.replicationFactor ?? KAFKA_DEFAULTS.replicationFactor,
    });
    return { admin, producer, reader, topics };
  }
}

function toEntry({ topic, partition, message }: TopicRecord): Entry {
  const headers = decodeHeaders(message.headers);
  return {
    id: `${topic}:${partition}:${message.offset}`,
    topic,
    partition,
    offset: message.offset,
    messageKey: message.key,
    timestamp: Number(message.timestamp),
    messageId: headers[HeaderNames.id],
    type: headers[HeaderNames.type],
    key: headers[HeaderNames.key] ?? message.key?.toString(),
    headers,
    body: message.value?.toString('utf8') ?? '',
    metadata: parseDeadLetterHeaders(headers) ?? unknownMetadata(topic),
  };
}

/** A record someone else wrote to the topic still gets listed. */
function unknownMetadata(topic: string): DeadLetterMetadata {
  return {
    originalDestination: topic,
    consumerGroup: '',
    attempts: 0,
    errorName: 'Unknown',
    errorMessage: 'record carries no dead-letter metadata',
    firstFailedAt: '',
    lastFailedAt: '',
  };
}

function publicView(entry: Entry): DeadLetter {
  const { id, messageId, type, key, headers, body, metadata } = entry;
  return { id, messageId, type, key, headers, body, metadata };
}

function freshHeaders(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const clean = withoutDeadLetterHeaders({ ...headers });
  for (const name of HISTORY) {
    delete clean[name];
  }
  return clean;
}

function markerKey(entry: {
  topic: string;
  partition: number;
  offset: string;
}) {
  return `${entry.topic}:${entry.partition}:${entry.offset}`;
}

function parseId(
  id: string,
): { topic: string; partition: number; offset: string } | undefined {
  const match = /^(.+):(\d+):(\d+)$/.exec(id);
  if (!match) {
    return undefined;
  }
  return { topic: match[1], partition: Number(match[2]), offset: match[3] };
}
