import { Kafka, logLevel } from 'kafkajs';
import { nestLogCreator } from '@mq/kafka';
import { testBrokers } from '../kafka.test-kit.js';

/** Admin look-ups a test asserts on: records per topic, committed offsets. */
export class TopicOffsets {
  private readonly kafka = new Kafka({
    brokers: testBrokers(),
    clientId: 'offsets-probe',
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator(),
  });

  /** Records written to each partition of `topic` (high - low). */
  async records(topic: string): Promise<number[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets
        .sort((a, b) => a.partition - b.partition)
        .map((p) => Number(p.high) - Number(p.low));
    } finally {
      await admin.disconnect();
    }
  }

  /** The group's committed offset per partition of `topic`, -1 for none. */
  async committed(groupId: string, topic: string): Promise<number[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return entry.partitions
        .sort((a, b) => a.partition - b.partition)
        .map((p) => Number(p.offset));
    } finally {
      await admin.disconnect();
    }
  }

  /** The group's state as the coordinator reports it (Stable, Empty...). */
  async groupState(groupId: string): Promise<string> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.state ?? 'Dead';
    } finally {
      await admin.disconnect();
    }
  }
}
