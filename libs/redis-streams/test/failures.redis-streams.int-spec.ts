import { HeaderNames, newMessageId, NonRetriableError } from '@mq/core';
import {
  fieldMap,
  pendingCount,
  RedisStreamsTestbed,
  sleep,
  waitUntil,
} from './redis-streams.test-support.js';

class GatewayDownError extends Error {
  constructor() {
    super('gateway unavailable (503)');
    this.name = 'GatewayDownError';
  }
}

function refuseAlways(): never {
  throw new NonRetriableError('no');
}

function failFirstAttempt(
  _payload: unknown,
  context: { getAttempt(): number },
): void {
  if (context.getAttempt() === 1) {
    throw new GatewayDownError();
  }
}

describe('RedisStreamsServer retries and dead letters', () => {
  let bed: RedisStreamsTestbed;

  beforeEach(() => {
    bed = new RedisStreamsTestbed();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('schedules a failed message in the retry zset, moves it back, then succeeds', async () => {
    const retry = {
      maxAttempts: 3,
      initialDelayMs: 300,
      multiplier: 1,
      jitter: 0,
    };
    await bed.startServer(
      { consumerGroup: 'payments', retry },
      ['order.created'],
      (_payload, context) => {
        if (context.getAttempt() < 3) {
          throw new GatewayDownError();
        }
      },
    );
    const client = await bed.client();
    const sent = await client.publishEvent(
      'order.created',
      { orderId: 'o-2' },
      { key: 'order-2' },
    );
    const stream = bed.stream('order.created');

    // While the first retry waits, it sits in the zset, the original acked.
    await waitUntil(() => bed.started.length === 1);
    await waitUntil(
      async () => (await bed.admin.zcard(bed.keys.retrySchedule)) === 1,
    );
    expect(await pendingCount(bed.admin, stream, 'payments')).toBe(0);
    expect(await bed.admin.xlen(stream)).toBe(1);

    await waitUntil(() => bed.handled.length === 1, 5_000);
    expect(bed.started.map((run) => run.attempt)).toEqual([1, 2, 3]);
    expect(bed.started[1].at - bed.started[0].at).toBeGreaterThanOrEqual(250);
    expect(bed.handled[0]).toMatchObject({ id: sent.id, attempt: 3 });
    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'payments')) === 0,
    );
    expect(await bed.admin.zcard(bed.keys.retrySchedule)).toBe(0);

    // Retries are new entries of the same stream, for this group only.
    const entries = await bed.admin.xrangeBuffer(stream, '-', '+');
    const copies = entries.slice(1).map(([, fields]) => fieldMap(fields));
    expect(
      copies.map((copy) => copy.get(HeaderNames.attempt)?.toString()),
    ).toEqual(['2', '3']);
    expect(
      copies.map((copy) => copy.get('mq-target-group')?.toString()),
    ).toEqual(['payments', 'payments']);
    expect(copies[0].get(HeaderNames.id)?.toString()).toBe(sent.id);
    expect((await bed.admin.keys(`${bed.prefix}:retry:*`)).length).toBe(0);
  });

  it('keeps retries of one group away from the other groups', async () => {
    await bed.startServer(
      { consumerGroup: 'flaky' },
      ['order.paid'],
      (_payload, context) => {
        if (context.getAttempt() === 1) {
          throw new GatewayDownError();
        }
      },
    );
    await bed.startServer({ consumerGroup: 'steady' }, ['order.paid']);
    const client = await bed.client();
    const sent = await client.publishEvent(
      'order.paid',
      { n: 1 },
      { key: 'k' },
    );

    await waitUntil(() => bed.handled.length === 2);
    await sleep(300);
    const runs = bed.handled.map((run) => `${run.group}@${run.attempt}`);
    expect(runs.sort((a, b) => a.localeCompare(b))).toEqual([
      'flaky@2',
      'steady@1',
    ]);
    expect(bed.handledIds()).toEqual([sent.id, sent.id]);
  });

  it('dead-letters with metadata after the last attempt', async () => {
    await bed.startServer(
      { consumerGroup: 'payments' },
      ['order.created'],
      () => {
        throw new GatewayDownError();
      },
    );
    const client = await bed.client();
    const startedAt = new Date().toISOString();
    const sent = await client.publishEvent(
      'order.created',
      { orderId: 'o-3' },
      { key: 'order-3' },
    );
    const stream = bed.stream('order.created');
    const dlq = bed.keys.deadLetters(stream);

    await waitUntil(async () => (await bed.admin.xlen(dlq)) === 1);
    const [[entryId, fields]] = await bed.admin.xrangeBuffer(dlq, '-', '+');
    const letter = fieldMap(fields);
    const text = (name: string) => letter.get(name)?.toString();
    expect(text(HeaderNames.id)).toBe(sent.id);
    expect(text('dlq-original-destination')).toBe(stream);
    expect(text('dlq-consumer-group')).toBe('payments');
    expect(text('dlq-attempts')).toBe('3');
    expect(text('dlq-error-name')).toBe('GatewayDownError');
    expect(text('dlq-error-message')).toBe('gateway unavailable (503)');
    expect(text('dlq-first-failed-at')! >= startedAt).toBe(true);
    expect(text('dlq-last-failed-at')! >= text('dlq-first-failed-at')!).toBe(
      true,
    );
    expect(JSON.parse(text('body')!)).toEqual({ orderId: 'o-3' });
    expect(bed.started).toHaveLength(3);
    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'payments')) === 0,
    );

    const store = bed.deadLetters('payments');
    expect(await store.count()).toBe(1);
    const [listed] = await store.list();
    expect(listed).toMatchObject({
      id: `${dlq}/${entryId.toString()}`,
      messageId: sent.id,
      type: 'order.created',
      key: 'order-3',
      metadata: {
        attempts: 3,
        errorName: 'GatewayDownError',
        consumerGroup: 'payments',
      },
    });
    expect(await bed.deadLetters('someone-else').count()).toBe(0);
  });

  it('dead-letters a non-retriable error at once', async () => {
    await bed.startServer(
      { consumerGroup: 'payments' },
      ['order.created'],
      () => {
        throw new NonRetriableError('card number is invalid');
      },
    );
    const client = await bed.client();
    const sent = await client.publishEvent(
      'order.created',
      { n: 1 },
      { key: 'k' },
    );
    const store = bed.deadLetters('payments');

    await waitUntil(async () => (await store.count()) === 1);
    const [letter] = await store.list();
    expect(letter.messageId).toBe(sent.id);
    expect(letter.metadata).toMatchObject({
      attempts: 1,
      errorName: 'NonRetriableError',
      errorMessage: 'card number is invalid',
    });
    await sleep(200);
    expect(bed.started).toHaveLength(1);
    expect(await bed.admin.zcard(bed.keys.retrySchedule)).toBe(0);
  });

  it('dead-letters a body that is not JSON, bytes intact, and handles the next', async () => {
    await bed.startServer({ consumerGroup: 'payments' }, ['order.created']);
    const client = await bed.client();
    const stream = bed.stream('order.created');
    const poisonId = newMessageId();
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x22]);
    await bed.admin.xadd(
      stream,
      '*',
      HeaderNames.id,
      poisonId,
      HeaderNames.key,
      'order-4',
      'body',
      bytes,
    );
    const next = await client.publishEvent(
      'order.created',
      { n: 2 },
      { key: 'order-4' },
    );

    await waitUntil(() => bed.handled.length === 1);
    expect(bed.handled[0].id).toBe(next.id);
    const dlq = bed.keys.deadLetters(stream);
    await waitUntil(async () => (await bed.admin.xlen(dlq)) === 1);
    const [[, fields]] = await bed.admin.xrangeBuffer(dlq, '-', '+');
    const letter = fieldMap(fields);
    expect(letter.get('body')?.equals(bytes)).toBe(true);
    expect(letter.get('dlq-error-name')?.toString()).toBe(
      'MalformedMessageError',
    );
    expect(letter.get('dlq-attempts')?.toString()).toBe('1');
  });

  it('redrives one dead letter to the failing group only, with a fresh attempt count', async () => {
    let broken = true;
    await bed.startServer(
      { consumerGroup: 'payments' },
      ['order.created'],
      () => {
        if (broken) {
          throw new NonRetriableError('gateway refused');
        }
      },
    );
    await bed.startServer({ consumerGroup: 'audit' }, ['order.created']);
    const client = await bed.client();
    const first = await client.publishEvent(
      'order.created',
      { n: 1 },
      { key: 'a' },
    );
    const second = await client.publishEvent(
      'order.created',
      { n: 2 },
      { key: 'b' },
    );
    const store = bed.deadLetters('payments');
    await waitUntil(async () => (await store.count()) === 2);
    await waitUntil(() => bed.handledIds('audit').length === 2);

    broken = false;
    const letters = await store.list();
    const target = letters.find((letter) => letter.messageId === first.id)!;
    expect(await store.show(target.id)).toMatchObject({ messageId: first.id });
    expect(await store.redrive(target.id)).toBe(true);
    expect(await store.redrive(target.id)).toBe(false);

    await waitUntil(() => bed.handledIds('payments').length === 1);
    expect(bed.handled.find((run) => run.group === 'payments')).toMatchObject({
      id: first.id,
      attempt: 1,
    });
    expect(await store.count()).toBe(1);
    expect(await store.show(target.id)).toBeUndefined();

    expect(await store.redriveAll()).toBe(1);
    await waitUntil(() => bed.handledIds('payments').length === 2);
    expect(bed.handledIds('payments').sort()).toEqual(
      [first.id, second.id].sort(),
    );
    await sleep(300);
    // The audit group saw each message once: redrives were not for it.
    expect(bed.handledIds('audit')).toHaveLength(2);
    expect(await store.count()).toBe(0);
  });

  it('purges only the group’s own dead letters', async () => {
    const fail = refuseAlways;
    await bed.startServer(
      { consumerGroup: 'one' },
      ['x.happened', 'y.happened'],
      fail,
    );
    await bed.startServer({ consumerGroup: 'two' }, ['x.happened'], fail);
    const client = await bed.client();
    await client.publishEvent('x.happened', {}, { key: 'k' });
    await client.publishEvent('y.happened', {}, { key: 'k' });
    const one = bed.deadLetters('one');
    const two = bed.deadLetters('two');
    await waitUntil(
      async () => (await one.count()) === 2 && (await two.count()) === 1,
    );

    expect(await one.list({ destination: 'y.happened' })).toHaveLength(1);
    expect(await one.list({ limit: 1 })).toHaveLength(1);
    expect(await one.purge()).toBe(2);
    expect(await one.count()).toBe(0);
    expect(await two.count()).toBe(1);
  });

  it('moves each retry exactly once while several servers run the mover', async () => {
    const messages = 60;
    const fail = failFirstAttempt;
    const options = {
      consumerGroup: 'workers',
      retryPollIntervalMs: 5,
      retry: { maxAttempts: 2, initialDelayMs: 200, jitter: 0 },
    };
    for (let i = 0; i < 3; i += 1) {
      await bed.startServer(options, ['job.queued'], fail);
    }
    const client = await bed.client();
    const ids: string[] = [];
    for (let i = 0; i < messages; i += 1) {
      ids.push(
        (await client.publishEvent('job.queued', { i }, { key: `k${i}` })).id,
      );
    }

    await waitUntil(() => bed.handled.length >= messages, 10_000);
    await sleep(400);
    expect(bed.handled).toHaveLength(messages);
    expect(bed.handledIds().sort()).toEqual([...ids].sort());
    // One original plus exactly one moved copy per message.
    expect(await bed.admin.xlen(bed.stream('job.queued'))).toBe(messages * 2);
  });
});
