import { setTimeout as sleep } from 'node:timers/promises';
import {
  createEnvelope,
  HeaderNames,
  JSON_CONTENT_TYPE,
  newMessageId,
  NonRetriableError,
  parseDeadLetterHeaders,
  toWireMessage,
  type DeadLetter,
  type DeadLetterStore,
} from '@mq/core';
import { eventually, MessageRecorder, recordingController } from '@mq/testing';
import { Gate } from './support/gate.js';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

class GatewayDownError extends Error {
  override readonly name = 'GatewayDownError';
}

describe('RabbitMqServer retries and dead letters', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('retries through per-delay queues: a short delay is not held up by a long one', async () => {
    const attempts = new MessageRecorder();
    const handled = new MessageRecorder();
    const { server } = await bed.startServer(
      {
        consumerGroup: 'jobs',
        retry: {
          maxAttempts: 4,
          initialDelayMs: 100,
          multiplier: 20,
          maxDelayMs: 2000,
          jitter: 0,
        },
      },
      [
        recordingController({
          pattern: 'job.run',
          attempts,
          handled,
          behaviour: (ctx) => {
            // Each message fails the first time this server runs it.
            if (attempts.byId(ctx.getEnvelope().id).length === 1) {
              throw new Error(`attempt ${ctx.getAttempt()} fails on purpose`);
            }
          },
        }),
      ],
    );
    expect(server.delayBuckets).toEqual([100, 2000]);
    const client = await bed.startClient();

    // The long one arrives as a second attempt: its retry waits 2000 ms.
    const long = createEnvelope('job.run', { job: 'long' }, { key: 'long' });
    const wire = toWireMessage(long);
    await bed.kit.publishRaw(
      'job.run',
      { ...wire.headers, [HeaderNames.attempt]: '2' },
      wire.body,
    );
    await attempts.waitForIds([long.id]);
    const [longFailure] = attempts.byId(long.id);
    const short = await client.publishEvent(
      'job.run',
      { job: 'short' },
      { key: 'short' },
    );

    await handled.waitForIds([short.id], 5000);
    const [shortDone] = handled.byId(short.id);
    const [shortFailure] = attempts.byId(short.id);
    expect(shortDone.attempt).toBe(2);
    expect(shortDone.at - shortFailure.at).toBeGreaterThanOrEqual(75);
    expect(shortDone.at - shortFailure.at).toBeLessThan(1000);
    expect(handled.byId(long.id), 'long one still waiting').toHaveLength(0);

    await handled.waitForIds([long.id], 5000);
    const [longDone] = handled.byId(long.id);
    expect(longDone.attempt).toBe(3);
    expect(longDone.at - longFailure.at).toBeGreaterThanOrEqual(1500);
    expect(longDone.headers[HeaderNames.firstFailedAt]).toMatch(/^\d{4}-/);
  });

  it('dead-letters to <queue>.dlq with the metadata in headers after the last attempt', async () => {
    const attempts = new MessageRecorder();
    const { server } = await bed.startServer({ consumerGroup: 'payments' }, [
      recordingController({
        pattern: 'payment.charge',
        attempts,
        handled: new MessageRecorder(),
        behaviour: () => {
          throw new GatewayDownError('gateway answered 503');
        },
      }),
    ]);
    const client = await bed.startClient();

    const sent = await client.publishEvent(
      'payment.charge',
      { orderId: 'o-4' },
      { key: 'o-4' },
    );
    const letter = await waitForDeadLetter(
      bed.kit.deadLetters('payments'),
      sent.id,
    );

    expect(attempts.byId(sent.id).map((run) => run.attempt)).toEqual([1, 2, 3]);
    expect(letter.metadata).toMatchObject({
      originalDestination: server.workQueue,
      consumerGroup: 'payments',
      attempts: 3,
      errorName: 'GatewayDownError',
      errorMessage: 'gateway answered 503',
    });
    expect(Date.parse(letter.metadata.firstFailedAt)).toBeLessThanOrEqual(
      Date.parse(letter.metadata.lastFailedAt),
    );
    // The broker's own view: headers on the message in the DLQ.
    const [raw] = await bed.kit.takeAll(server.deadLetterQueue);
    const headers = raw.properties.headers as Record<string, string>;
    expect(parseDeadLetterHeaders(headers)).toEqual(letter.metadata);
    expect(headers).toMatchObject({
      [HeaderNames.id]: sent.id,
      [HeaderNames.key]: 'o-4',
      [HeaderNames.correlationId]: sent.id,
    });
    expect(headers['x-death']).toBeUndefined();
    expect(raw.properties.deliveryMode).toBe(2);
    expect(JSON.parse(raw.content.toString('utf8'))).toEqual({
      orderId: 'o-4',
    });
    expect(await bed.kit.queueDepth(server.workQueue)).toBe(0);
  });

  it('dead-letters a non-retriable error and a message with no handler at once', async () => {
    const attempts = new MessageRecorder();
    const slow = new Gate();
    const { server } = await bed.startServer(
      { consumerGroup: 'strict', concurrency: 1, prefetch: 2 },
      [
        recordingController({
          pattern: 'card.charge',
          attempts,
          handled: new MessageRecorder(),
          behaviour: async (ctx) => {
            if (ctx.getEnvelope().key === 'slow') {
              await slow.opened;
              return;
            }
            throw new NonRetriableError('card number is invalid');
          },
        }),
      ],
    );
    const client = await bed.startClient();
    const store = bed.kit.deadLetters('strict');

    const refused = await client.publishEvent(
      'card.charge',
      { card: '0000' },
      { key: 'o-5' },
    );
    const refusedLetter = await waitForDeadLetter(store, refused.id);
    expect(refusedLetter.metadata).toMatchObject({
      attempts: 1,
      errorName: 'NonRetriableError',
      errorMessage: 'card number is invalid',
    });
    expect(attempts.byId(refused.id)).toHaveLength(1);

    // The only handler slot is busy with a same-key message; the unhandled
    // one still goes to the DLQ right away instead of waiting its turn.
    const busy = await client.publishEvent('card.charge', {}, { key: 'slow' });
    await attempts.waitForIds([busy.id]);
    const strayId = newMessageId();
    await bed.kit.publishToQueue(
      server.workQueue,
      {
        [HeaderNames.id]: strayId,
        [HeaderNames.type]: 'card.refund',
        [HeaderNames.key]: 'slow',
        [HeaderNames.contentType]: JSON_CONTENT_TYPE,
      },
      Buffer.from('{"card":"1111"}'),
    );
    const strayLetter = await waitForDeadLetter(store, strayId, 2000);
    expect(strayLetter.metadata).toMatchObject({
      attempts: 1,
      errorName: 'NoHandlerError',
      errorMessage: expect.stringContaining('card.refund'),
    });
    slow.open();
  });

  it('dead-letters a body that is not JSON while the next message is handled', async () => {
    const handled = new MessageRecorder();
    const { server } = await bed.startServer({ consumerGroup: 'parser' }, [
      recordingController({ pattern: 'order.note', handled }),
    ]);
    const client = await bed.startClient();

    const poisonId = newMessageId();
    await bed.kit.publishRaw(
      'order.note',
      {
        [HeaderNames.id]: poisonId,
        [HeaderNames.type]: 'order.note',
        [HeaderNames.key]: 'o-6',
      },
      Buffer.from('{"note": "unterminated'),
    );
    const next = await client.publishEvent(
      'order.note',
      { note: 'fine' },
      { key: 'o-6' },
    );

    await handled.waitForIds([next.id]);
    const letter = await waitForDeadLetter(
      bed.kit.deadLetters('parser'),
      poisonId,
    );
    expect(letter.body).toBe('{"note": "unterminated');
    expect(letter.metadata).toMatchObject({
      originalDestination: server.workQueue,
      attempts: 1,
      errorName: 'MalformedMessageError',
    });
    await sleep(100);
    expect(handled.byId(poisonId)).toHaveLength(0);
  });
});

function waitForDeadLetter(
  store: DeadLetterStore,
  messageId: string,
  timeoutMs = 10_000,
): Promise<DeadLetter> {
  return eventually(
    async () => {
      const found = (await store.list()).find((l) => l.messageId === messageId);
      if (!found) {
        throw new Error(`no dead letter for ${messageId} yet`);
      }
      return found;
    },
    timeoutMs,
    50,
  );
}
