import { setTimeout as sleep } from 'node:timers/promises';
import {
  eventually,
  MessageRecorder,
  recordingController,
  startMicroservice,
  uniqueName,
} from '@mq/testing';
import type { INestMicroservice } from '@nestjs/common';
import { createEnvelope } from '@mq/core';
import { nestLogCreator } from '@mq/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaTestKit, testBrokers } from './kafka.test-kit.js';

describe('KafkaServer delivery', () => {
  let kit: KafkaTestKit;
  const apps: INestMicroservice[] = [];
  const kafka = new Kafka({
    brokers: testBrokers(),
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator(),
  });

  beforeEach(async () => {
    kit = new KafkaTestKit(uniqueName('kafka'));
    await kit.setup();
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) {
      await app.close();
    }
    await kit.teardown();
  });

  it('delivers a published event once and commits its offset', async () => {
    const handled = new MessageRecorder();
    const server = kit.createServer({ consumerGroup: 'billing' });
    apps.push(
      await startMicroservice({
        strategy: server,
        controllers: [
          recordingController({ pattern: 'order.created', handled }),
        ],
      }),
    );
    const client = kit.createClient();
    const sent = await client.publishEvent(
      'order.created',
      { orderId: 'o-1', amount: 42 },
      { key: 'o-1' },
    );
    const [got] = await handled.waitFor(1);
    expect(got).toMatchObject({
      id: sent.id,
      key: 'o-1',
      payload: { orderId: 'o-1', amount: 42 },
      attempt: 1,
      consumerGroup: 'billing',
      destination: `${kit.namespace}.order.created`,
    });
    expect(got.headers['correlation-id']).toBe(sent.id);

    const admin = kafka.admin();
    await admin.connect();
    try {
      await eventually(async () => {
        const [topic] = await admin.fetchOffsets({
          groupId: `${kit.namespace}.billing`,
          topics: [`${kit.namespace}.order.created`],
        });
        const committed = topic.partitions
          .map((p) => Number(p.offset))
          .filter((offset) => offset > 0);
        expect(committed).toEqual([1]);
      });
    } finally {
      await admin.disconnect();
    }
    await sleep(300);
    expect(handled.count).toBe(1);
    expect(server.health().status).toBe('up');
    await client.close();
  });

  it('fans out: each of two groups gets every message', async () => {
    const billing = new MessageRecorder();
    const audit = new MessageRecorder();
    for (const [group, handled] of [
      ['billing', billing],
      ['audit', audit],
    ] as const) {
      apps.push(
        await startMicroservice({
          strategy: kit.createServer({ consumerGroup: group }),
          controllers: [
            recordingController({ pattern: 'order.created', handled }),
          ],
        }),
      );
    }
    const client = kit.createClient();
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const sent = await client.publishEvent(
        'order.created',
        { i },
        { key: `o-${i}` },
      );
      ids.push(sent.id);
    }
    await billing.waitForIds(ids);
    await audit.waitForIds(ids);
    await sleep(300);
    expect(billing.count).toBe(10);
    expect(audit.count).toBe(10);
    expect(new Set(audit.all.map((m) => m.consumerGroup))).toEqual(
      new Set(['audit']),
    );
    await client.close();
  });

  it('keeps same-key order while different keys run in parallel', async () => {
    const handled = new MessageRecorder();
    let running = 0;
    let peak = 0;
    apps.push(
      await startMicroservice({
        strategy: kit.createServer({ consumerGroup: 'ledger', concurrency: 8 }),
        controllers: [
          recordingController({
            pattern: 'order.created',
            handled,
            behaviour: async () => {
              running += 1;
              peak = Math.max(peak, running);
              await sleep(5 + Math.random() * 15);
              running -= 1;
            },
          }),
        ],
      }),
    );
    const client = kit.createClient();
    const keys = 6;
    const perKey = 15;
    const envelopes = [];
    for (let n = 0; n < perKey; n += 1) {
      for (let k = 0; k < keys; k += 1) {
        envelopes.push(
          createEnvelope('order.created', { k, n }, { key: `key-${k}` }),
        );
      }
    }
    // One batch: every key's messages land in one partition batch together.
    await client.publishEnvelopes(envelopes);
    await handled.waitFor(keys * perKey, 20_000);

    for (let k = 0; k < keys; k += 1) {
      const order = handled.all
        .filter((m) => m.key === `key-${k}`)
        .map((m) => (m.payload as { n: number }).n);
      expect(order).toEqual([...Array(perKey).keys()]);
    }
    expect(peak).toBeGreaterThan(1);
    await client.close();
  });
});
