import { nestLogCreator, type KafkaClient } from '@mq/kafka';
import { uniqueName } from '@mq/testing';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaTestKit, testBrokers } from './kafka.test-kit.js';
import { TopicOffsets } from './support/topic-offsets.js';

/**
 * One topic that cannot be written must fail only its own publishes, even
 * when they are called together with publishes to other topics and
 * batched per topic. The broker stays up (other tests restart it); the
 * topic takes record batches of at most 1 KiB, and every publish to it is
 * bigger. (`min.insync.replicas` above the replication factor does not
 * work for this: a single KRaft 3.9 broker accepts those writes.)
 */
describe('KafkaClient publishes with one unwritable topic', () => {
  let kit: KafkaTestKit;
  let client: KafkaClient;
  const offsets = new TopicOffsets();
  const kafka = new Kafka({
    brokers: testBrokers(),
    clientId: 'unwritable-topic-spec',
    logLevel: logLevel.NOTHING,
    logCreator: nestLogCreator(),
  });

  beforeEach(async () => {
    kit = new KafkaTestKit(uniqueName('kafka'));
    await kit.setup();
    client = kit.createClient();
  });

  afterEach(async () => {
    await client.close();
    await kit.teardown();
  });

  it('settles the publishes to writable topics while another topic refuses every write, called together', async () => {
    const stuckTopic = `${kit.namespace}.stuck.event`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          {
            topic: stuckTopic,
            numPartitions: 1,
            configEntries: [{ name: 'max.message.bytes', value: '1024' }],
          },
        ],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    await client.connect();

    const started = Date.now();
    const stuck = Array.from({ length: 5 }, (_, n) =>
      client.publishEvent(
        'stuck.event',
        { n, pad: 'x'.repeat(2_000) },
        { key: `s-${n}` },
      ),
    );
    const healthy = ['order.created', 'payment.succeeded', 'order.confirmed']
      .flatMap((type) =>
        Array.from({ length: 40 }, (_, n) =>
          client.publishEvent(type, { n }, { key: `k-${n % 4}` }),
        ),
      )
      .map((publish) => publish.then(() => Date.now() - started));
    const stuckResults = Promise.allSettled(stuck);

    const healthyTimes = await Promise.all(healthy);
    // Promptly: nothing waits for the refused topic.
    expect(Math.max(...healthyTimes)).toBeLessThan(3_000);

    const results = await stuckResults;
    expect(results.map((result) => result.status)).toEqual(
      Array(5).fill('rejected'),
    );
    expect(await offsets.records(stuckTopic)).toEqual([0]);
    for (const type of [
      'order.created',
      'payment.succeeded',
      'order.confirmed',
    ]) {
      const perPartition = await offsets.records(`${kit.namespace}.${type}`);
      expect(perPartition.reduce((sum, n) => sum + n, 0)).toBe(40);
    }

    // The client goes on: a later publish to a writable topic still works.
    await client.publishEvent('order.created', { n: 40 }, { key: 'k-0' });
  }, 20_000);
});
