import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eventually, MessageRecorder, recordingController } from '@mq/testing';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

const CHILD = fileURLToPath(
  new URL('./support/crash-after-handling.child.ts', import.meta.url),
);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PATTERN = 'order.step';

/** Runs the crashing consumer until it dies; the ids it handled. */
async function runCrashingConsumer(
  options: Record<string, unknown>,
  onReady: () => Promise<void>,
): Promise<{ handled: string[]; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: {
      ...process.env,
      CRASH_CHILD_OPTIONS: JSON.stringify(options),
      TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const handled: string[] = [];
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const ready = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') {
        resolve();
      } else if (line.startsWith('handled ')) {
        handled.push(line.slice('handled '.length));
      }
    });
  });
  await Promise.race([ready, exited]);
  await onReady();
  const signal = await exited;
  return { handled, signal };
}

describe('RabbitMq consumer killed between a handler and its ack', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('redelivers what was handled but not yet acked, and loses nothing', async () => {
    const group = 'crashy';
    // Declares the group's queues and bindings before anything is sent.
    const first = await bed.startServer({ consumerGroup: group }, [
      recordingController({ pattern: PATTERN, handled: new MessageRecorder() }),
    ]);
    await first.close();
    const client = await bed.startClient();
    const ids: string[] = [];

    const { handled, signal } = await runCrashingConsumer(
      {
        namespace: bed.kit.namespace,
        consumerGroup: group,
        pattern: PATTERN,
        crashAfter: 10,
      },
      async () => {
        for (let i = 0; i < 30; i += 1) {
          const sent = await client.publishEvent(
            PATTERN,
            { i },
            { key: `k${i}` },
          );
          ids.push(sent.id);
        }
      },
    );
    expect(signal).toBe('SIGKILL');
    expect(handled.length).toBeGreaterThanOrEqual(10);
    const lastBeforeCrash = handled[9];

    const recovered = new MessageRecorder();
    const { server } = await bed.startServer({ consumerGroup: group }, [
      recordingController({ pattern: PATTERN, handled: recovered }),
    ]);
    // Its handler finished, its ack was queued but never sent.
    await recovered.waitForIds([lastBeforeCrash], 10_000);
    await eventually(() => {
      const seen = new Set([...handled, ...recovered.ids()]);
      expect(ids.filter((id) => !seen.has(id))).toEqual([]);
    }, 10_000);
    await eventually(async () =>
      expect(await bed.kit.queueDepth(server.workQueue)).toBe(0),
    );
  }, 30_000);
});
