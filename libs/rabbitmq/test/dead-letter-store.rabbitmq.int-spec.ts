import { HeaderNames, NonRetriableError } from '@mq/core';
import { eventually, MessageRecorder, recordingController } from '@mq/testing';
import type { RabbitMqDeadLetterStore, RabbitMqServer } from '../src/index.js';
import type { RabbitMqClient } from '../src/index.js';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

describe('RabbitMqDeadLetterStore', () => {
  let bed: RabbitMqTestBed;
  let server: RabbitMqServer;
  let client: RabbitMqClient;
  let store: RabbitMqDeadLetterStore;
  let healthy = false;
  const handled = new MessageRecorder();

  beforeAll(async () => {
    bed = await RabbitMqTestBed.create();
    ({ server } = await bed.startServer({ consumerGroup: 'refunds' }, [
      recordingController({
        pattern: 'refund.issue',
        handled,
        behaviour: () => {
          if (!healthy) {
            throw new NonRetriableError('refunds are switched off');
          }
        },
      }),
    ]));
    client = await bed.startClient();
    store = bed.kit.deadLetters('refunds');
  });

  afterAll(async () => {
    await bed.dispose();
  });

  async function deadLetter(keys: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const key of keys) {
      const sent = await client.publishEvent('refund.issue', { key }, { key });
      ids.push(sent.id);
    }
    await eventually(async () => {
      expect(await store.count()).toBe(keys.length);
    });
    return ids;
  }

  it('lists, counts and shows dead letters without taking them, in a stable order', async () => {
    const ids = await deadLetter(['r-1', 'r-2', 'r-3']);

    const first = await store.list();
    const second = await store.list();

    expect(first.map((letter) => letter.messageId)).toEqual(ids);
    expect(second.map((letter) => letter.id)).toEqual(
      first.map((letter) => letter.id),
    );
    expect(await store.count()).toBe(3);
    expect(first[1]).toMatchObject({
      messageId: ids[1],
      type: 'refund.issue',
      key: 'r-2',
      metadata: {
        originalDestination: server.workQueue,
        consumerGroup: 'refunds',
        attempts: 1,
        errorName: 'NonRetriableError',
        errorMessage: 'refunds are switched off',
      },
    });
    expect(JSON.parse(first[1].body)).toEqual({ key: 'r-2' });

    expect(await store.show(first[2].id)).toEqual(first[2]);
    expect(await store.show('no-such-letter')).toBeUndefined();
    expect(await store.count()).toBe(3);
    expect((await store.list({ limit: 2 })).map((l) => l.id)).toEqual(
      first.slice(0, 2).map((l) => l.id),
    );
    expect(await store.list({ destination: server.workQueue })).toHaveLength(3);
    expect(await store.list({ destination: 'elsewhere' })).toEqual([]);
  });

  it('redrives one dead letter with a fresh attempt count, then the rest', async () => {
    const letters = await store.list();
    healthy = true;

    expect(await store.redrive(letters[1].id)).toBe(true);
    await handled.waitForIds([letters[1].messageId as string]);
    const [redriven] = handled.byId(letters[1].messageId as string);
    expect(redriven.attempt).toBe(1);
    expect(
      Object.keys(redriven.headers).filter((name) => name.startsWith('dlq-')),
    ).toEqual([]);
    expect(redriven.headers[HeaderNames.key]).toBe('r-2');
    expect(await store.redrive(letters[1].id)).toBe(false);
    expect((await store.list()).map((l) => l.id)).toEqual([
      letters[0].id,
      letters[2].id,
    ]);

    expect(await store.redriveAll()).toBe(2);
    await handled.waitForIds([
      letters[0].messageId as string,
      letters[2].messageId as string,
    ]);
    expect(await store.count()).toBe(0);
  });

  it('purges every dead letter', async () => {
    healthy = false;
    await deadLetter(['r-4', 'r-5']);

    expect(await store.purge()).toBe(2);

    expect(await store.count()).toBe(0);
    expect(await store.list()).toEqual([]);
  });

  it('reports an empty store for a group that never started', async () => {
    const unknown = bed.kit.deadLetters('never-started');

    expect(await unknown.count()).toBe(0);
    expect(await unknown.list()).toEqual([]);
    expect(await unknown.redriveAll()).toBe(0);
  });
});
