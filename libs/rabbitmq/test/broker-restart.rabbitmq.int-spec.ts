import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { eventually, MessageRecorder, recordingController } from '@mq/testing';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

const run = promisify(execFile);

/**
 * Stops and starts the RabbitMQ application on this machine's broker: every
 * connection drops, durable queues and persistent messages survive.
 */
async function restartBroker(): Promise<void> {
  await run('rabbitmqctl', ['stop_app'], { timeout: 60_000 });
  await sleep(1000);
  await run('rabbitmqctl', ['start_app'], { timeout: 60_000 });
  await run('rabbitmqctl', ['await_startup'], { timeout: 60_000 });
}

describe('RabbitMq broker restart', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('reconnects after the broker restarts and handles the backlog and new messages', async () => {
    const handled = new MessageRecorder();
    const { server } = await bed.startServer(
      { consumerGroup: 'restart', concurrency: 2 },
      [
        recordingController({
          pattern: 'order.restart',
          handled,
          behaviour: () => sleep(20),
        }),
      ],
    );
    const client = await bed.startClient({ publishTimeoutMs: 5000 });

    const before: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const sent = await client.publishEvent(
        'order.restart',
        { i },
        { key: `k-${i % 5}` },
      );
      before.push(sent.id);
    }
    // The slow handler leaves most of the 100 in the queue when it stops.
    await restartBroker();
    await eventually(() => expect(server.health().status).toBe('up'), 30_000);

    // A publish on a connection the restart closed may reject (the
    // contract allows it: the outbox keeps the row); it is tried again the
    // way the relay would, and every confirmed one must be handled.
    const after: string[] = [];
    let rejected = 0;
    for (let i = 0; i < 20; i += 1) {
      for (;;) {
        try {
          const sent = await client.publishEvent(
            'order.restart',
            { i },
            { key: `n-${i}` },
          );
          after.push(sent.id);
          break;
        } catch (error) {
          rejected += 1;
          if (rejected >= 50) {
            throw new Error('publishes keep failing', { cause: error });
          }
          await sleep(200);
        }
      }
    }

    await handled.waitForIds([...before, ...after], 60_000);
    expect(handled.ids().size).toBe(before.length + after.length);
  });
});
