import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Consumer, Kafka } from 'kafkajs';

/** Partitions of every benchmark topic: the transport's default. */
export const BENCH_PARTITIONS = 3;

/** Longest wait for a new topic's partitions to have leaders. */
const LEADER_TIMEOUT_MS = 30_000;

/** Longest wait for a consumer to join its group. */
const JOIN_TIMEOUT_MS = 60_000;

/** Creates a topic with the benchmark's partitions, if it is missing. */
export async function createTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: BENCH_PARTITIONS }],
      waitForLeaders: false,
    });
    await waitForLeaders(admin, topic);
  } finally {
    await admin.disconnect();
  }
}

/**
 * kafkajs's own wait gives up after a few metadata errors, which a loaded
 * broker answers while it creates the partitions; wait longer here.
 */
async function waitForLeaders(admin: Admin, topic: string): Promise<void> {
  const deadline = Date.now() + LEADER_TIMEOUT_MS;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      if (
        partitions.length === BENCH_PARTITIONS &&
        partitions.every((partition) => partition.leader >= 0)
      ) {
        return;
      }
    } catch (error) {
      if (Date.now() >= deadline) {
        throw error;
      }
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `topic ${topic} has no leaders after ${LEADER_TIMEOUT_MS} ms`,
      );
    }
    await sleep(100);
  }
}

/**
 * Resolves at the consumer's first group join: `run()` returns before
 * partitions are assigned, and a paced phase must not count the join.
 * Call before `connect()`.
 */
export function waitForJoin(consumer: Consumer): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no group join in ${JOIN_TIMEOUT_MS} ms`)),
      JOIN_TIMEOUT_MS,
    );
    const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
      clearTimeout(timer);
      remove();
      resolve();
    });
  });
}
