import { setTimeout as sleep } from 'node:timers/promises';
import { HeaderNames, JSON_CONTENT_TYPE } from '@mq/core';
import { MessageRecorder, recordingController } from '@mq/testing';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

const briefly = () => sleep(5);

describe('RabbitMqServer delivery', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('delivers a message with its envelope and acks it after the handler', async () => {
    const handled = new MessageRecorder();
    const { server } = await bed.startServer({ consumerGroup: 'billing' }, [
      recordingController({ pattern: 'order.created', handled }),
    ]);
    const client = await bed.startClient();

    const sent = await client.publishEvent(
      'order.created',
      { orderId: 'o-1', totalCents: 1250 },
      { key: 'o-1' },
    );

    await handled.waitForIds([sent.id]);
    const [message] = handled.byId(sent.id);
    expect(message).toMatchObject({
      id: sent.id,
      type: 'order.created',
      key: 'o-1',
      payload: { orderId: 'o-1', totalCents: 1250 },
      attempt: 1,
      consumerGroup: 'billing',
      destination: server.workQueue,
    });
    expect(message.headers[HeaderNames.correlationId]).toBe(sent.id);
    await sleep(100);
    expect(handled.byId(sent.id)).toHaveLength(1);
    // Acked: nothing is left in the queue, ready or unacknowledged.
    await server.close();
    expect(await bed.kit.queueDepth(server.workQueue)).toBe(0);
  });

  it('publishes persistent messages with envelope headers and native properties', async () => {
    const tap = bed.topology.workQueue('tap');
    await bed.kit.declareQueue(tap, {});
    await bed.kit.bind(tap, '#');
    const client = await bed.startClient();

    const sent = await client.publishEvent(
      'order.created',
      { orderId: 'o-2' },
      { key: 'o-2' },
    );

    const [raw] = await bed.kit.takeAll(tap);
    expect(raw.fields.routingKey).toBe('order.created');
    expect(raw.properties).toMatchObject({
      deliveryMode: 2,
      messageId: sent.id,
      type: 'order.created',
      contentType: JSON_CONTENT_TYPE,
      correlationId: sent.id,
    });
    expect(raw.properties.headers).toMatchObject({
      [HeaderNames.id]: sent.id,
      [HeaderNames.type]: 'order.created',
      [HeaderNames.key]: 'o-2',
      [HeaderNames.occurredAt]: sent.occurredAt,
      [HeaderNames.correlationId]: sent.id,
      [HeaderNames.traceparent]: sent.headers[HeaderNames.traceparent],
    });
    expect(JSON.parse(raw.content.toString('utf8'))).toEqual({
      orderId: 'o-2',
    });
  });

  it('declares the work queue, its dead-letter queue and one delay queue per bucket', async () => {
    const { server } = await bed.startServer(
      {
        consumerGroup: 'topology',
        retry: {
          maxAttempts: 4,
          initialDelayMs: 100,
          multiplier: 3,
          jitter: 0,
        },
      },
      [recordingController({ pattern: 'x.y', handled: new MessageRecorder() })],
    );

    expect(server.delayBuckets).toEqual([100, 300, 1000]);
    const names = [
      bed.topology.workQueue('topology'),
      bed.topology.deadLetterQueue('topology'),
      ...server.delayBuckets.map((ms) =>
        bed.topology.retryQueue('topology', ms),
      ),
    ];
    for (const name of names) {
      expect({ name, depth: await bed.kit.queueDepth(name) }).toEqual({
        name,
        depth: 0,
      });
    }
  });

  it('gives every message to each group and shares a group between its servers', async () => {
    const billing = new MessageRecorder();
    const shipping = new MessageRecorder();
    await bed.startServer({ consumerGroup: 'billing' }, [
      recordingController({
        pattern: 'order.created',
        handled: billing,
        label: 'billing-a',
        behaviour: briefly,
      }),
    ]);
    await bed.startServer({ consumerGroup: 'billing' }, [
      recordingController({
        pattern: 'order.created',
        handled: billing,
        label: 'billing-b',
        behaviour: briefly,
      }),
    ]);
    await bed.startServer({ consumerGroup: 'shipping' }, [
      recordingController({ pattern: 'order.created', handled: shipping }),
    ]);
    const client = await bed.startClient();

    const ids: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const sent = await client.publishEvent(
        'order.created',
        { i },
        { key: `o-${i}` },
      );
      ids.push(sent.id);
    }

    await billing.waitForIds(ids);
    await shipping.waitForIds(ids);
    await sleep(200);
    expect(billing.count).toBe(ids.length);
    expect(shipping.count).toBe(ids.length);
    const byServer = new Set(billing.all.map((m) => m.handledBy));
    expect(byServer).toEqual(new Set(['billing-a', 'billing-b']));
  });

  it('keeps same-key order with prefetch and concurrency above one', async () => {
    const handled = new MessageRecorder();
    let inFlight = 0;
    let maxInFlight = 0;
    await bed.startServer(
      { consumerGroup: 'ordered', concurrency: 4, prefetch: 40 },
      [
        recordingController({
          pattern: 'order.step',
          handled,
          behaviour: async () => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await sleep(1 + Math.floor(Math.random() * 6));
            inFlight -= 1;
          },
        }),
      ],
    );
    const client = await bed.startClient();
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];

    const envelopes = Array.from({ length: 10 }, (_, seq) =>
      keys.map((key) => ({ key, seq })),
    ).flat();
    // Keys interleaved, so the server has several keys to run at once.
    for (const { key, seq } of envelopes) {
      await client.publishEvent('order.step', { seq }, { key });
    }

    await handled.waitFor(envelopes.length);
    for (const key of keys) {
      const order = handled.all
        .filter((m) => m.key === key)
        .map((m) => (m.payload as { seq: number }).seq);
      expect({ key, order }).toEqual({
        key,
        order: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      });
    }
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });
});
