import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEnvelope, type Envelope } from '@mq/core';
import {
  eventually,
  MessageRecorder,
  recordingController,
  startMicroservice,
  uniqueName,
} from '@mq/testing';
import { KafkaTestKit } from './kafka.test-kit.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(
  new URL('../../../scripts/kafka.sh', import.meta.url),
);
const PATTERN = 'stock.reserved';

/**
 * Restarts the shared broker (`scripts/kafka.sh stop` then `start`) while
 * a server consumes: slow, so it is kept to this one test.
 */
describe('KafkaServer across a broker restart', () => {
  it('rejoins after the restart and drains the backlog; health is down meanwhile', async () => {
    const kit = new KafkaTestKit(uniqueName('kafka'));
    await kit.setup();
    const handled = new MessageRecorder();
    const server = kit.createServer({
      consumerGroup: 'warehouse',
      concurrency: 4,
    });
    const app = await startMicroservice({
      strategy: server,
      controllers: [
        recordingController({
          pattern: PATTERN,
          handled,
          behaviour: () => sleep(30),
        }),
      ],
    });
    const client = kit.createClient();
    try {
      const before: Envelope[] = [];
      for (let i = 0; i < 200; i += 1) {
        before.push(createEnvelope(PATTERN, { i }, { key: `sku-${i % 2}` }));
      }
      await client.publishEnvelopes(before);
      await handled.waitFor(20);

      await run('bash', [SCRIPT, 'stop']);
      // Without its broker the server must not look healthy for long.
      await eventually(
        () => expect(server.health().status).toBe('down'),
        20_000,
        100,
      );
      await run('bash', [SCRIPT, 'start']);
      // Published after the restart: the client reconnects on its own.
      const after = [0, 1, 2].map((i) =>
        createEnvelope(PATTERN, { after: i }, { key: `sku-${i}` }),
      );
      await client.publishEnvelopes(after);

      const all = [...before, ...after].map((envelope) => envelope.id);
      await handled.waitForIds(all, 90_000);
      await eventually(() => expect(server.health().status).toBe('up'), 30_000);
      expect(handled.ids().size).toBe(all.length);
    } finally {
      await app.close();
      await client.close();
      await kit.teardown();
    }
  }, 180_000);
});
