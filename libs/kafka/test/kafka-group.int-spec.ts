import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createEnvelope, type Envelope } from '@mq/core';
import {
  eventually,
  MessageRecorder,
  recordingController,
  startMicroservice,
  testDatabaseUrl,
  uniqueName,
} from '@mq/testing';
import type { KafkaClient } from '@mq/kafka';
import type { Consumer } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaTestKit } from './kafka.test-kit.js';
import { EffectsTable } from './support/effects-table.js';
import { listenRaw } from './support/raw-server.js';
import { TopicOffsets } from './support/topic-offsets.js';

const PATTERN = 'order.paid';
const CHILD = fileURLToPath(
  new URL('./support/crash-consumer.child.ts', import.meta.url),
);

describe('KafkaServer in a consumer group', () => {
  let kit: KafkaTestKit;
  let client: KafkaClient;
  const offsets = new TopicOffsets();

  beforeEach(async () => {
    kit = new KafkaTestKit(uniqueName('kafka'));
    await kit.setup();
    client = kit.createClient();
  });

  afterEach(async () => {
    await client.close();
    await kit.teardown();
  });

  it('applies every effect exactly once when one of two consumers is SIGKILLed mid-stream', async () => {
    const url = testDatabaseUrl();
    const effects = await EffectsTable.create(url, uniqueName('kafka_fx'));
    const group = 'fulfilment';
    const survivor = kit.createServer({ consumerGroup: group, concurrency: 4 });
    let child: ChildProcess | undefined;
    try {
      await listenRaw(survivor, {
        [PATTERN]: (_payload, context) =>
          effects.apply(context.getEnvelope(), 'survivor', 5),
      });
      child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: {
          ...process.env,
          KIT_NAMESPACE: kit.namespace,
          CONSUMER_GROUP: group,
          EFFECTS_SCHEMA: effects.schema,
          DATABASE_URL: url,
          PATTERN,
          HOLD_MS: '15',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await waitForLine(child, 'ready', 30_000);

      const total = 300;
      const envelopes: Envelope[] = [];
      for (let i = 0; i < total; i += 1) {
        envelopes.push(
          createEnvelope(PATTERN, { i }, { key: `order-${i % 40}` }),
        );
      }
      for (let i = 0; i < total; i += 50) {
        await client.publishEnvelopes(envelopes.slice(i, i + 50));
      }

      await eventually(
        async () => {
          expect((await effects.counts()).byChild).toBeGreaterThanOrEqual(20);
        },
        20_000,
        20,
      );
      child.kill('SIGKILL');
      await once(child, 'exit');

      // The survivor takes the dead member's partitions once its session
      // expires, and redelivers what the child had not committed.
      await eventually(
        async () => {
          expect((await effects.counts()).effects).toBe(total);
        },
        45_000,
        200,
      );
      await sleep(500);
      const counts = await effects.counts();
      expect(counts.effects).toBe(total);
      expect(counts.distinct).toBe(total);
      expect(counts.byChild).toBeGreaterThanOrEqual(20);
      expect(counts.byChild).toBeLessThan(counts.deliveries);
    } finally {
      child?.kill('SIGKILL');
      await survivor.close();
      await effects.close(true);
    }
  }, 90_000);

  it('shuts down gracefully: finishes the running handler, commits it, leaves the group', async () => {
    const group = 'shipping';
    const started = new MessageRecorder();
    const handled = new MessageRecorder();
    const first = kit.createServer({
      consumerGroup: group,
      concurrency: 1,
      shutdownTimeoutMs: 5_000,
    });
    const app = await startMicroservice({
      strategy: first,
      controllers: [
        recordingController({
          pattern: PATTERN,
          attempts: started,
          handled,
          label: 'first',
          behaviour: () => sleep(1_000),
        }),
      ],
    });
    await client.publishEnvelopes([
      createEnvelope(PATTERN, { n: 1 }, { key: 'same' }),
      createEnvelope(PATTERN, { n: 2 }, { key: 'same' }),
      createEnvelope(PATTERN, { n: 3 }, { key: 'same' }),
    ]);
    await started.waitFor(1);
    const closing = Date.now();
    await app.close();
    expect(Date.now() - closing).toBeLessThan(4_000);
    // The handler in flight completed; nothing after it started.
    expect(handled.count).toBe(1);
    expect(started.count).toBe(1);
    const groupId = `${kit.namespace}.${group}`;
    const topic = `${kit.namespace}.${PATTERN}`;
    expect(await offsets.groupState(groupId)).toBe('Empty');
    expect(
      (await offsets.committed(groupId, topic)).filter((o) => o > 0),
    ).toEqual([1]);
    expect(first.health().status).toBe('down');

    // The next server of the group starts after the committed message.
    const next = new MessageRecorder();
    const app2 = await startMicroservice({
      strategy: kit.createServer({ consumerGroup: group }),
      controllers: [recordingController({ pattern: PATTERN, handled: next })],
    });
    try {
      await next.waitFor(2);
      await sleep(300);
      expect(next.all.map((m) => m.payload)).toEqual([{ n: 2 }, { n: 3 }]);
    } finally {
      await app2.close();
    }
  });
});

describe('KafkaServer with a handler slower than the session timeout', () => {
  const offsets = new TopicOffsets();

  it('heartbeats while it runs, so the member keeps its partitions', async () => {
    const kit = new KafkaTestKit(uniqueName('kafka'));
    await kit.setup();
    const client = kit.createClient();
    const handled = new MessageRecorder();
    // Joins right after startup (kafkajs rejoins once when a new topic's
    // leader was not known yet) are not what this test is about.
    let running = false;
    const server = kit.createServer({
      consumerGroup: 'reports',
      handlerTimeoutMs: 20_000,
    });
    const app = await startMicroservice({
      strategy: server,
      controllers: [
        recordingController({
          pattern: PATTERN,
          handled,
          behaviour: async () => {
            running = true;
            await sleep(7_500);
          },
        }),
      ],
    });
    try {
      const consumer = server.unwrap<Consumer>();
      let joins = 0;
      consumer.on(consumer.events.GROUP_JOIN, () => {
        joins += running ? 1 : 0;
      });
      await client.publishEvent(PATTERN, { report: 'q3' }, { key: 'r-1' });
      await handled.waitFor(1, 15_000);
      // Session timeout 6000 ms < 7500 ms handler: had the member been
      // dropped, its commit would be refused and the message redelivered.
      const groupId = `${kit.namespace}.reports`;
      const topic = `${kit.namespace}.${PATTERN}`;
      await eventually(async () =>
        expect(
          (await offsets.committed(groupId, topic)).filter((o) => o > 0),
        ).toEqual([1]),
      );
      await sleep(1_500);
      expect(joins).toBe(0);
      expect(handled.all).toMatchObject([{ attempt: 1 }]);
      expect(server.health().status).toBe('up');
    } finally {
      await app.close();
      await client.close();
      await kit.teardown();
    }
  }, 30_000);
});

async function waitForLine(
  child: ChildProcess,
  line: string,
  timeoutMs: number,
): Promise<void> {
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`child did not print "${line}" in ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before "${line}"`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.split('\n').includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
