import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, MessageRecorder, recordingController } from '@mq/testing';
import { Gate } from './support/gate.js';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

// Acks are coalesced: one frame per turn of the event loop for a run of
// handled deliveries, single acks for the rest. These cases check that
// only handled deliveries are ever in an ack, and that the acks do reach
// the broker without a shutdown to flush them.
describe('RabbitMq acks', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('acks handled messages behind an unfinished one: after a drop only the unfinished one comes back', async () => {
    const attempts = new MessageRecorder();
    const handled = new MessageRecorder();
    const gate = new Gate();
    const { server } = await bed.startServer(
      { consumerGroup: 'behind', concurrency: 4 },
      [
        recordingController({
          pattern: 'order.step',
          attempts,
          handled,
          behaviour: async (ctx) => {
            if (ctx.getEnvelope().key === 'stuck') {
              await gate.opened;
            }
          },
        }),
      ],
    );
    const client = await bed.startClient();

    // The stuck one has the lowest delivery tag, so the others cannot be
    // acked with a multiple ack: each is acked on its own.
    const stuck = await client.publishEvent('order.step', {}, { key: 'stuck' });
    await attempts.waitForIds([stuck.id]);
    const others = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.publishEvent('order.step', { i }, { key: `k${i}` }),
      ),
    );
    const otherIds = others.map((envelope) => envelope.id);
    await handled.waitForIds(otherIds);
    await sleep(200);

    await bed.kit.dropServerConnections(server);
    await eventually(() => expect(server.health().status).toBe('up'));
    gate.open();

    // The first run ends on the closed channel and cannot ack; the broker
    // had requeued the message, so it runs again on the new channel.
    await handled.waitUntil(
      () => handled.byId(stuck.id).length >= 2,
      'the stuck message handled again after the reconnect',
      10_000,
    );
    await sleep(300);
    for (const id of otherIds) {
      expect(attempts.byId(id), `attempts of ${id}`).toHaveLength(1);
    }
    await server.close();
    expect(await bed.kit.queueDepth(server.workQueue)).toBe(0);
  });

  it('does not ack a failed message with its neighbours when its retry copy fails: it comes back', async () => {
    const attempts = new MessageRecorder();
    const handled = new MessageRecorder();
    const failedOnce = new Set<string>();
    const { server } = await bed.startServer(
      { consumerGroup: 'neighbours', concurrency: 4 },
      [
        recordingController({
          pattern: 'order.step',
          attempts,
          handled,
          behaviour: (ctx) => {
            const { id, key } = ctx.getEnvelope();
            if (key === 'poison' && !failedOnce.has(id)) {
              failedOnce.add(id);
              throw new Error('first run fails');
            }
          },
        }),
      ],
    );
    // Without its delay queues the retry copy is unroutable, so the
    // original stays unacked and goes back to the work queue.
    for (const bucket of server.delayBuckets) {
      await bed.kit.deleteQueue(bed.topology.retryQueue('neighbours', bucket));
    }
    const client = await bed.startClient();

    const sent = [];
    for (let i = 0; i < 12; i += 1) {
      const key = i === 5 ? 'poison' : `k${i}`;
      sent.push(client.publishEvent('order.step', { i }, { key }));
    }
    const envelopes = await Promise.all(sent);
    const poison = envelopes[5];

    await handled.waitForIds(
      envelopes.map((envelope) => envelope.id),
      15_000,
    );
    // Run twice, both times as a first attempt: the broker redelivered it.
    const runs = attempts.byId(poison.id);
    expect(runs).toHaveLength(2);
    expect(runs.map((run) => run.attempt)).toEqual([1, 1]);
    for (const envelope of envelopes.filter((e) => e !== poison)) {
      expect(attempts.byId(envelope.id)).toHaveLength(1);
    }
    await server.close();
    expect(await bed.kit.queueDepth(server.workQueue)).toBe(0);
  });
});
