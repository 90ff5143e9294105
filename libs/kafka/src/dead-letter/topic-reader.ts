import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';

export interface TopicRecord {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

/** What a read saw: its records and, per partition, where it stopped. */
export interface TopicSnapshot {
  readonly records: TopicRecord[];
  /** `topic` -> partition -> high watermark read up to (exclusive). */
  readonly ends: Map<string, Map<number, string>>;
}

/**
 * Reads whole topics, from the oldest retained record up to the high
 * watermark seen when the read starts. kafkajs reads only through a
 * consumer group, so each read joins a throwaway group that commits nothing
 * and is deleted afterwards; a read of empty topics joins nothing.
 */
export class TopicReader {
  private readonly logger = new Logger(TopicReader.name);

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly groupPrefix: string,
    private readonly timeoutMs: number,
  ) {}

  async read(topics: readonly string[]): Promise<TopicSnapshot> {
    const ends = new Map<string, Map<number, string>>();
    const pending = new Map<string, bigint>();
    for (const topic of topics) {
      const partitions = new Map<number, string>();
      for (const entry of await this.admin.fetchTopicOffsets(topic)) {
        partitions.set(entry.partition, entry.high);
        if (BigInt(entry.high) > BigInt(entry.low)) {
          pending.set(`${topic}:${entry.partition}`, BigInt(entry.high));
        }
      }
      ends.set(topic, partitions);
    }
    const records: TopicRecord[] = [];
    if (pending.size > 0) {
      const withData = topics.filter((topic) =>
        [...pending.keys()].some((key) => key.startsWith(`${topic}:`)),
      );
      await this.consume(withData, pending, records);
    }
    return { records, ends };
  }

  private async consume(
    topics: string[],
    pending: Map<string, bigint>,
    records: TopicRecord[],
  ): Promise<void> {
    const groupId = `${this.groupPrefix}.reader.${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    let finish: (() => void) | undefined;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `reading ${topics.join(', ')} took over ${this.timeoutMs} ms`,
            ),
          ),
        this.timeoutMs,
      );
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const key = `${batch.topic}:${batch.partition}`;
          const end = pending.get(key);
          if (end === undefined) {
            return;
          }
          for (const message of batch.messages) {
            if (BigInt(message.offset) < end) {
              records.push({
                topic: batch.topic,
                partition: batch.partition,
                message,
              });
            }
          }
          if (BigInt(batch.lastOffset()) + 1n >= end) {
            pending.delete(key);
            if (pending.size === 0) {
              finish?.();
            }
          }
        },
      });
      await Promise.race([finished, timedOut]);
    } finally {
      clearTimeout(timer);
      await consumer.disconnect();
      await this.forget(groupId);
    }
  }

  private async forget(groupId: string): Promise<void> {
    try {
      await this.admin.deleteGroups([groupId]);
    } catch (error) {
      // Harmless: an empty group without offsets expires on its own.
      this.logger.debug(
        `could not delete reader group ${groupId}: ${(error as Error).message}`,
      );
    }
  }
}
