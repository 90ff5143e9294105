import { keyed } from '@mq/core';
import { nestLogCreator, type KafkaClient } from '@mq/kafka';
import { eventually, uniqueName } from '@mq/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { KafkaTestKit, testBrokers } from './kafka.test-kit.js';
import { TopicOffsets } from './support/topic-offsets.js';

interface ReadRecord {
  readonly key: string;
  readonly n: number;
  readonly id: string;
  readonly partition: number;
}

describe('KafkaClient publish batching', () => {
  let kit: KafkaTestKit;
  let client: KafkaClient;
  let reader: Consumer | undefined;
  const offsets = new TopicOffsets();
  const kafka = new Kafka({
    brokers: testBrokers(),
    clientId: 'batching-spec',
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator(),
  });

  beforeEach(async () => {
    kit = new KafkaTestKit(uniqueName('kafka'));
    await kit.setup();
    client = kit.createClient();
  });

  afterEach(async () => {
    await reader?.disconnect();
    reader = undefined;
    await client.close();
    await kit.teardown();
  });

  /** Counts the produce requests the client's producer sends. */
  async function countProduceRequests(): Promise<() => number> {
    const producer = await client.connect();
    let requests = 0;
    producer.on(producer.events.REQUEST, ({ payload }) => {
      if (payload.apiName === 'Produce') {
        requests += 1;
      }
    });
    return () => requests;
  }

  /** Reads `count` records of `topic` from the start, in partition order. */
  async function readAll(topic: string, count: number): Promise<ReadRecord[]> {
    const records: ReadRecord[] = [];
    reader = kafka.consumer({ groupId: `${kit.namespace}.reader` });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ partition, message }) => {
        const body = JSON.parse(String(message.value)) as { n: number };
        records.push({
          key: String(message.key),
          n: body.n,
          id: String(message.headers?.['mq-id']),
          partition,
        });
      },
    });
    await eventually(() => expect(records).toHaveLength(count), 30_000);
    return records;
  }

  it('sends concurrent emits in few requests, in order per key, all readable', async () => {
    const requests = await countProduceRequests();
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const perKey = 40;
    const emits: Promise<unknown>[] = [];
    for (let n = 0; n < perKey; n += 1) {
      for (const key of keys) {
        emits.push(
          lastValueFrom(client.emit('order.created', keyed(key, { n })), {
            defaultValue: undefined,
          }),
        );
      }
    }
    await Promise.all(emits);

    expect(requests()).toBeGreaterThan(0);
    expect(requests()).toBeLessThanOrEqual(5);
    const records = await readAll(
      `${kit.namespace}.order.created`,
      keys.length * perKey,
    );
    expect(new Set(records.map((record) => record.id)).size).toBe(
      keys.length * perKey,
    );
    for (const key of keys) {
      const ofKey = records.filter((record) => record.key === key);
      expect(new Set(ofKey.map((record) => record.partition)).size).toBe(1);
      expect(ofKey.map((record) => record.n)).toEqual([
        ...Array(perKey).keys(),
      ]);
    }
  });

  it('rejects every publish of a request the broker refuses, and goes on', async () => {
    // One partition that takes record batches of at most 1 KiB: one of
    // these messages fits, ten in one request do not.
    const topic = `${kit.namespace}.tiny.event`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: 1,
            configEntries: [{ name: 'max.message.bytes', value: '1024' }],
          },
        ],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    const requests = await countProduceRequests();

    const publishes = Array.from({ length: 10 }, (_, n) =>
      client.publishEvent(
        'tiny.event',
        { n, pad: 'x'.repeat(150) },
        {
          key: `k-${n}`,
        },
      ),
    );
    const results = await Promise.allSettled(publishes);

    expect(requests()).toBe(1);
    expect(results.map((result) => result.status)).toEqual(
      Array(10).fill('rejected'),
    );
    const reasons = results.map(
      (result) => (result as PromiseRejectedResult).reason as Error,
    );
    expect(new Set(reasons).size).toBe(1);
    expect(await offsets.records(topic)).toEqual([0]);

    await client.publishEvent('tiny.event', { n: 10 }, { key: 'k-10' });
    expect(await offsets.records(topic)).toEqual([1]);
  });

  it('answers publishes still queued at close before disconnecting', async () => {
    const publishes = Array.from({ length: 50 }, (_, n) =>
      client.publishEvent('order.created', { n }, { key: `k-${n % 7}` }),
    );
    await client.close();

    await expect(Promise.all(publishes)).resolves.toHaveLength(50);
    const perPartition = await offsets.records(
      `${kit.namespace}.order.created`,
    );
    expect(perPartition.reduce((sum, count) => sum + count, 0)).toBe(50);
  });
});
