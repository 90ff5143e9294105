import { setTimeout as sleep } from 'node:timers/promises';
import { createEnvelope, MessageTooLargeError } from '@mq/core';
import { MessageRecorder, recordingController } from '@mq/testing';
import {
  PublishFailedError,
  TopologyMismatchError,
  UnroutableMessageError,
} from '../src/index.js';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

describe('RabbitMqClient publishing', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('rejects a publish no queue is bound for (mandatory, basic.return)', async () => {
    const client = await bed.startClient();

    const publishing = client.publishEvent(
      'nobody.listens',
      { orderId: 'o-7' },
      { key: 'o-7' },
    );

    await expect(publishing).rejects.toBeInstanceOf(UnroutableMessageError);
    await expect(publishing).rejects.toMatchObject({
      exchange: bed.topology.eventsExchange,
      routingKey: 'nobody.listens',
      replyText: 'NO_ROUTE',
    });
  });

  it('rejects the whole batch when one message of it is unroutable', async () => {
    await bed.startServer({ consumerGroup: 'billing' }, [
      recordingController({
        pattern: 'order.created',
        handled: new MessageRecorder(),
      }),
    ]);
    const client = await bed.startClient();
    const routed = createEnvelope('order.created', {}, { key: 'o-1' });
    const stray = createEnvelope('order.unknown', {}, { key: 'o-1' });

    await expect(client.publishEnvelopes([routed, stray])).rejects.toThrow(
      /order\.unknown.*returned/,
    );
  });

  it('refuses a message over maxMessageBytes before sending anything', async () => {
    const tap = bed.topology.workQueue('tap');
    await bed.kit.declareQueue(tap, {});
    await bed.kit.bind(tap, '#');
    const client = await bed.startClient({ maxMessageBytes: 1024 });
    const small = createEnvelope('doc.stored', { text: 'ok' }, { key: 'd' });
    const large = createEnvelope(
      'doc.stored',
      { text: 'x'.repeat(2000) },
      { key: 'd' },
    );

    const publishing = client.publishEnvelopes([small, large]);

    await expect(publishing).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(publishing).rejects.toThrow(/over the limit of 1024 bytes/);
    await sleep(100);
    expect(await bed.kit.queueDepth(tap)).toBe(0);
  });

  it('delivers a publish made while the connection is down after the reconnect', async () => {
    const handled = new MessageRecorder();
    await bed.startServer({ consumerGroup: 'billing' }, [
      recordingController({ pattern: 'order.created', handled }),
    ]);
    const client = await bed.startClient({ reconnectDelayMs: 300 });
    await client.publishEvent('order.created', { warmup: true }, { key: 'w' });

    await bed.kit.dropConnection(client.connectionName);
    await eventuallyDown(() => client.health().status);
    const sent = await client.publishEvent(
      'order.created',
      { orderId: 'o-8' },
      { key: 'o-8' },
    );

    expect(client.health().status).toBe('up');
    await handled.waitForIds([sent.id]);
  });

  it('rejects a publish it cannot confirm in time instead of losing it', async () => {
    const client = await bed.startClient({
      reconnectDelayMs: 5000,
      publishTimeoutMs: 300,
    });

    await bed.kit.dropConnection(client.connectionName);
    await eventuallyDown(() => client.health().status);
    const publishing = client.publishEvent('order.created', {}, { key: 'o' });

    await expect(publishing).rejects.toBeInstanceOf(PublishFailedError);
    await expect(publishing).rejects.toThrow(/no confirm within 300 ms/);
  });
});

describe('RabbitMqServer startup', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('fails with a clear error when the queue exists with other arguments', async () => {
    const queue = bed.topology.workQueue('legacy');
    await bed.kit.declareQueue(queue, { 'x-max-length': 10 });
    const startedAt = Date.now();

    const starting = bed.startServer({ consumerGroup: 'legacy' }, [
      recordingController({
        pattern: 'order.created',
        handled: new MessageRecorder(),
      }),
    ]);

    const error = await starting.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(TopologyMismatchError);
    expect(error).toMatchObject({ kind: 'queue', entity: queue });
    expect((error as Error).message).toContain(
      `inequivalent arg 'x-max-length' for queue '${queue}'`,
    );
    expect(Date.now() - startedAt).toBeLessThan(3000);
    // It gave up: no connection left behind that keeps retrying.
    await sleep(300);
    const names = await bed.kit.connectionNames();
    expect(names.filter((name) => name.includes('.server.'))).toEqual([]);
  });
});

async function eventuallyDown(status: () => string): Promise<void> {
  for (let waited = 0; status() === 'up'; waited += 10) {
    if (waited > 5000) {
      throw new Error('the client never noticed the dropped connection');
    }
    await sleep(10);
  }
}
