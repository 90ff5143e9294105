import { setTimeout as sleep } from 'node:timers/promises';
import { MessageRecorder, recordingController } from '@mq/testing';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

describe('RabbitMqServer graceful shutdown', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('lets the running handler finish and ack, and hands back what had not started', async () => {
    const started = new MessageRecorder();
    const handled = new MessageRecorder();
    const controller = (label: string) =>
      recordingController({
        pattern: 'order.ship',
        attempts: started,
        handled,
        label,
        behaviour: async (ctx) => {
          if (ctx.getEnvelope().key === 'slow') {
            await sleep(800);
          }
        },
      });
    const first = await bed.startServer(
      { consumerGroup: 'shipping', concurrency: 1, prefetch: 8 },
      [controller('first')],
    );
    const client = await bed.startClient();

    const slow = await client.publishEvent('order.ship', {}, { key: 'slow' });
    await started.waitForIds([slow.id]);
    const waiting: string[] = [];
    for (const key of ['a', 'b', 'c']) {
      const sent = await client.publishEvent('order.ship', { key }, { key });
      waiting.push(sent.id);
    }
    await sleep(50);

    await first.close();
    const closedAt = Date.now();

    const [finished] = handled.byId(slow.id);
    expect(finished?.handledBy).toBe('first');
    expect(finished.at).toBeLessThanOrEqual(closedAt);
    expect(waiting.flatMap((id) => started.byId(id))).toEqual([]);
    // The slow one was acked; the three that never started are back.
    expect(await bed.kit.queueDepth(first.server.workQueue)).toBe(3);
    expect(first.server.health()).toEqual({ status: 'down', detail: 'closed' });

    await bed.startServer({ consumerGroup: 'shipping' }, [controller('next')]);
    await handled.waitForIds(waiting);
    await sleep(200);
    expect(handled.byId(slow.id)).toHaveLength(1);
    for (const id of waiting) {
      expect(handled.byId(id).map((run) => run.handledBy)).toEqual(['next']);
    }
  });
});
