import { setTimeout as sleep } from 'node:timers/promises';
import {
  createEnvelope,
  HeaderNames,
  NonRetriableError,
  type Envelope,
} from '@mq/core';
import {
  eventually,
  MessageRecorder,
  recordingController,
  startMicroservice,
  uniqueName,
} from '@mq/testing';
import type { INestMicroservice } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { KafkaHeaderNames, type KafkaClient } from '@mq/kafka';
import { KafkaTestKit } from './kafka.test-kit.js';
import { TopicOffsets } from './support/topic-offsets.js';

const PATTERN = 'payment.requested';
const GROUP = 'payments';

describe('KafkaServer retries and dead letters', () => {
  let kit: KafkaTestKit;
  let client: KafkaClient;
  let topic: string;
  const apps: INestMicroservice[] = [];
  const offsets = new TopicOffsets();

  beforeEach(async () => {
    kit = new KafkaTestKit(uniqueName('kafka'));
    await kit.setup();
    client = kit.createClient();
    topic = `${kit.namespace}.${PATTERN}`;
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) {
      await app.close();
    }
    await client.close();
    await kit.teardown();
  });

  async function start(
    behaviour: Parameters<typeof recordingController>[0]['behaviour'],
    retry = { maxAttempts: 3, initialDelayMs: 100, multiplier: 1, jitter: 0 },
  ) {
    const attempts = new MessageRecorder();
    const handled = new MessageRecorder();
    const server = kit.createServer({
      consumerGroup: GROUP,
      concurrency: 4,
      retry: { maxDelayMs: retry.initialDelayMs, ...retry },
    });
    apps.push(
      await startMicroservice({
        strategy: server,
        controllers: [
          recordingController({
            pattern: PATTERN,
            attempts,
            handled,
            behaviour,
          }),
        ],
      }),
    );
    return { attempts, handled, server };
  }

  it('retries through the retry topic, then succeeds', async () => {
    const { attempts, handled } = await start((context) => {
      if (context.getAttempt() < 3) {
        throw new Error('gateway timeout');
      }
    });
    const sent = await client.publishEvent(PATTERN, { n: 1 }, { key: 'o-1' });

    const [done] = await handled.waitFor(1);
    expect(done).toMatchObject({ id: sent.id, attempt: 3, destination: topic });
    expect(attempts.byId(sent.id).map((run) => run.attempt)).toEqual([1, 2, 3]);
    // Attempt 2 waited in retry topic 1, attempt 3 in retry topic 2.
    const retry1 = await offsets.records(`${topic}.${GROUP}.retry.1`);
    const retry2 = await offsets.records(`${topic}.${GROUP}.retry.2`);
    expect(sum(retry1)).toBe(1);
    expect(sum(retry2)).toBe(1);
    expect(done.headers[HeaderNames.firstFailedAt]).toBeDefined();
    expect(await kit.deadLetters(GROUP).count()).toBe(0);
  });

  it('holds a retry partition until due without blocking other partitions or the main topic', async () => {
    const delay = 3_000;
    const failOnce = new Set<string>();
    const { handled } = await start(
      (context) => {
        const { id } = context.getEnvelope();
        if (context.getAttempt() === 1 && failOnce.has(id)) {
          throw new Error('try later');
        }
      },
      { maxAttempts: 2, initialDelayMs: delay, multiplier: 1, jitter: 0 },
    );
    const slow = createEnvelope(PATTERN, { n: 'slow' }, { key: 'a' });
    failOnce.add(slow.id);
    await client.publishEnvelopes([slow]);
    const retryTopic = `${topic}.${GROUP}.retry.1`;
    await eventually(async () =>
      expect(sum(await offsets.records(retryTopic))).toBe(1),
    );
    const failedAt = Date.now();
    const heldPartition = (await offsets.records(retryTopic)).indexOf(1);

    // A retry that is due now, on another partition of the same retry topic.
    const due = createEnvelope(PATTERN, { n: 'due' }, { key: 'b' });
    await writeDueRetry(retryTopic, (heldPartition + 1) % 3, due);
    // And a fresh message on the main topic.
    const fresh = await client.publishEvent(
      PATTERN,
      { n: 'fresh' },
      { key: 'c' },
    );

    await handled.waitForIds([due.id, fresh.id], 2_000);
    expect(handled.byId(due.id)).toMatchObject([{ attempt: 2 }]);
    expect(handled.byId(slow.id)).toHaveLength(0);
    await handled.waitForIds([slow.id], delay + 5_000);
    const [late] = handled.byId(slow.id);
    expect(late.attempt).toBe(2);
    expect(late.at - failedAt).toBeGreaterThanOrEqual(delay - 500);
  });

  it('dead-letters after the last attempt with the metadata in headers', async () => {
    const { attempts } = await start(() => {
      throw new Error('card processor down');
    });
    const sent = await client.publishEvent(PATTERN, { n: 2 }, { key: 'o-2' });
    const store = kit.deadLetters(GROUP);

    const [letter] = await eventually(
      async () => {
        const letters = await store.list();
        expect(letters).toHaveLength(1);
        return letters;
      },
      15_000,
      300,
    );
    expect(attempts.byId(sent.id)).toHaveLength(3);
    expect(letter.id.startsWith(`${topic}.${GROUP}.dlq:`)).toBe(true);
    expect(letter).toMatchObject({
      messageId: sent.id,
      key: 'o-2',
      type: PATTERN,
    });
    expect(letter.headers).toMatchObject({
      'dlq-original-destination': topic,
      'dlq-consumer-group': GROUP,
      'dlq-attempts': '3',
      'dlq-error-name': 'Error',
      'dlq-error-message': 'card processor down',
      [HeaderNames.correlationId]: sent.id,
    });
    expect(letter.headers[KafkaHeaderNames.dueAt]).toBeUndefined();
    expect(JSON.parse(letter.body)).toEqual({ n: 2 });
    expect(sum(await offsets.records(`${topic}.${GROUP}.dlq`))).toBe(1);
    // The original offset is committed once the dead letter was written.
    await eventually(async () =>
      expect(
        sum(
          positive(await offsets.committed(`${kit.namespace}.${GROUP}`, topic)),
        ),
      ).toBe(1),
    );
  });

  it('sends a NonRetriableError straight to the dead-letter topic', async () => {
    const { attempts } = await start(() => {
      throw new NonRetriableError('order was cancelled');
    });
    const sent = await client.publishEvent(PATTERN, { n: 3 }, { key: 'o-3' });
    const store = kit.deadLetters(GROUP);
    const [letter] = await eventually(
      async () => {
        const letters = await store.list();
        expect(letters).toHaveLength(1);
        return letters;
      },
      10_000,
      300,
    );
    expect(letter.metadata).toMatchObject({
      attempts: 1,
      errorName: 'NonRetriableError',
      errorMessage: 'order was cancelled',
    });
    expect(attempts.byId(sent.id)).toHaveLength(1);
    expect(sum(await offsets.records(`${topic}.${GROUP}.retry.1`))).toBe(0);
  });

  it('dead-letters a malformed body and handles the next message of its key', async () => {
    const { handled } = await start(undefined);
    await kit.publishRaw(
      PATTERN,
      { [HeaderNames.id]: 'poison-1', [HeaderNames.key]: 'o-4' },
      Buffer.from('{"n": ', 'utf8'),
    );
    const next = await client.publishEvent(PATTERN, { n: 4 }, { key: 'o-4' });
    await handled.waitForIds([next.id]);
    const [letter] = await eventually(
      async () => {
        const letters = await kit.deadLetters(GROUP).list();
        expect(letters).toHaveLength(1);
        return letters;
      },
      10_000,
      300,
    );
    expect(letter).toMatchObject({ messageId: 'poison-1', body: '{"n": ' });
    expect(letter.metadata.errorName).toBe('MalformedMessageError');
  });

  it('redrives a dead letter to this group only, with a fresh attempt count', async () => {
    let healthy = false;
    const { handled } = await start(() => {
      if (!healthy) {
        throw new NonRetriableError('merchant blocked');
      }
    });
    const other = new MessageRecorder();
    const otherServer = kit.createServer({ consumerGroup: 'audit' });
    apps.push(
      await startMicroservice({
        strategy: otherServer,
        controllers: [
          recordingController({ pattern: PATTERN, handled: other }),
        ],
      }),
    );
    const sent = await client.publishEvent(PATTERN, { n: 5 }, { key: 'o-5' });
    await other.waitForIds([sent.id]);
    const store = kit.deadLetters(GROUP);
    const [letter] = await eventually(
      async () => {
        const letters = await store.list();
        expect(letters).toHaveLength(1);
        return letters;
      },
      10_000,
      300,
    );

    healthy = true;
    expect(await store.redrive(letter.id)).toBe(true);
    await handled.waitForIds([sent.id]);
    const [redriven] = handled.byId(sent.id);
    expect(redriven).toMatchObject({ attempt: 1, destination: topic });
    expect(redriven.headers['dlq-error-name']).toBeUndefined();
    expect(await store.count()).toBe(0);
    expect(await store.show(letter.id)).toBeUndefined();
    // The redriven copy went to this group's retry topic, not the shared one.
    await sleep(300);
    expect(other.byId(sent.id)).toHaveLength(1);
    expect(sum(await offsets.records(`${topic}.${GROUP}.dlq.redriven`))).toBe(
      1,
    );
    // The record stays in the append-only topic until purged.
    expect(sum(await offsets.records(`${topic}.${GROUP}.dlq`))).toBe(1);
    expect(await store.purge()).toBe(0);
    expect(sum(await offsets.records(`${topic}.${GROUP}.dlq`))).toBe(0);
  });

  async function writeDueRetry(
    retryTopic: string,
    partition: number,
    envelope: Envelope,
  ): Promise<void> {
    // Written by hand, as the server would after a first failure.
    const producer = client.unwrap<Producer>();
    await producer.send({
      topic: retryTopic,
      acks: -1,
      messages: [
        {
          partition,
          key: envelope.key,
          value: JSON.stringify(envelope.payload),
          headers: {
            ...envelope.headers,
            [HeaderNames.id]: envelope.id,
            [HeaderNames.type]: PATTERN,
            [HeaderNames.key]: envelope.key,
            [HeaderNames.attempt]: '2',
            [KafkaHeaderNames.dueAt]: new Date().toISOString(),
          },
        },
      ],
    });
  }
});

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function positive(values: number[]): number[] {
  return values.filter((value) => value > 0);
}
