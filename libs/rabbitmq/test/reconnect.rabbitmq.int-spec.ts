import { setTimeout as sleep } from 'node:timers/promises';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { eventually, MessageRecorder, recordingController } from '@mq/testing';
import type { RabbitMqServer } from '../src/index.js';
import { Gate } from './support/gate.js';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

describe('RabbitMq reconnects', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('handles every message whose publish resolved while the broker closes connections', async () => {
    const handled = new MessageRecorder();
    const { server } = await bed.startServer({ consumerGroup: 'flow' }, [
      recordingController({
        pattern: 'order.flow',
        handled,
        behaviour: () => sleep(2),
      }),
    ]);
    const client = await bed.startClient({ publishTimeoutMs: 3000 });
    const confirmed: string[] = [];
    let rejected = 0;
    const sawDown = watchForDown(server);

    const total = 240;
    let next = 0;
    const publisher = async () => {
      while (next < total) {
        const i = next++;
        try {
          const sent = await client.publishEvent(
            'order.flow',
            { i },
            { key: `o-${i % 7}` },
          );
          confirmed.push(sent.id);
        } catch {
          // Allowed: a publish may fail while the connection is down; an
          // outbox would keep the row and publish it again.
          rejected += 1;
        }
        await sleep(2);
      }
    };
    const publishing = Promise.all(Array.from({ length: 8 }, publisher));
    await until(() => confirmed.length >= 60);
    await bed.kit.dropServerConnections(server);
    await until(() => confirmed.length >= 110);
    await bed.kit.dropConnection(client.connectionName);
    await until(() => confirmed.length >= 160);
    await Promise.all([
      bed.kit.dropServerConnections(server),
      bed.kit.dropConnection(client.connectionName),
    ]);
    await publishing;

    expect(confirmed.length).toBeGreaterThan(160);
    expect(confirmed.length + rejected).toBe(total);
    await handled.waitForIds(confirmed, 20_000);
    expect(new Set(confirmed).size).toBe(confirmed.length);
    expect(await sawDown).toBe(true);
    await eventually(() => expect(server.health().status).toBe('up'));
  });

  it('does not ack on the new channel a delivery from the closed one: it is redelivered', async () => {
    const started = new MessageRecorder();
    const handled = new MessageRecorder();
    const gate = new Gate();
    const { server } = await bed.startServer(
      { consumerGroup: 'acks', concurrency: 2 },
      [
        recordingController({
          pattern: 'order.slow',
          attempts: started,
          handled,
          behaviour: async (ctx) => {
            if (ctx.getEnvelope().key === 'slow') {
              await gate.opened;
            }
          },
        }),
      ],
    );
    const connects = countConnects(server.unwrap<AmqpConnectionManager>());
    const client = await bed.startClient();

    const slow = await client.publishEvent('order.slow', {}, { key: 'slow' });
    await started.waitForIds([slow.id]);
    await bed.kit.dropServerConnections(server);
    await eventually(() => expect(server.health().status).toBe('down'));
    await eventually(() => expect(server.health().status).toBe('up'));
    // The first run ends only now, after its channel is gone.
    gate.open();
    const after: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const sent = await client.publishEvent(
        'order.slow',
        { i },
        { key: `k${i}` },
      );
      after.push(sent.id);
    }

    // The first run finished on the closed channel and could not ack; the
    // broker had requeued the message, so it runs again on the new channel.
    await handled.waitUntil(
      () => handled.byId(slow.id).length >= 2,
      'the slow message handled twice',
      10_000,
    );
    await handled.waitForIds(after);
    await sleep(300);
    // Exactly one reconnect: no channel was closed by a stray ack
    // (PRECONDITION_FAILED, unknown delivery tag).
    expect(connects()).toBe(1);
    await server.close();
    expect(await bed.kit.queueDepth(server.workQueue)).toBe(0);
  });
});

/** Resolves true once the server reports down; polls for 5 s. */
async function watchForDown(server: RabbitMqServer): Promise<boolean> {
  for (let waited = 0; waited < 5000; waited += 5) {
    if (server.health().status === 'down') {
      return true;
    }
    await sleep(5);
  }
  return false;
}

function countConnects(manager: AmqpConnectionManager): () => number {
  let count = 0;
  manager.on('connect', () => {
    count += 1;
  });
  return () => count;
}

async function until(condition: () => boolean): Promise<void> {
  await eventually(
    () => {
      if (!condition()) {
        throw new Error('not yet');
      }
    },
    15_000,
    5,
  );
}
