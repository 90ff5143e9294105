import { HeaderNames } from '@mq/core';
import {
  fieldMap,
  pendingCount,
  RedisStreamsTestbed,
  sleep,
  waitUntil,
} from './redis-streams.test-support.js';

function sleepShort(): Promise<void> {
  return sleep(15);
}

describe('RedisStreamsServer delivery', () => {
  let bed: RedisStreamsTestbed;

  beforeEach(() => {
    bed = new RedisStreamsTestbed();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('delivers an event once and XACKs it: the group has nothing pending', async () => {
    const server = await bed.startServer({ consumerGroup: 'billing' }, [
      'order.created',
    ]);
    const client = await bed.client();

    const sent = await client.publishEvent(
      'order.created',
      { orderId: 'o-1', note: 'zoë ✓' },
      { key: 'order-1', headers: { 'x-tenant': 'acme' } },
    );

    await waitUntil(() => bed.handled.length === 1);
    expect(bed.handled[0]).toMatchObject({
      id: sent.id,
      key: 'order-1',
      attempt: 1,
      group: 'billing',
      payload: { orderId: 'o-1', note: 'zoë ✓' },
    });
    const stream = bed.stream('order.created');
    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'billing')) === 0,
    );

    // The entry as stored: headers as fields, the JSON payload as `body`.
    const [[, fields]] = await bed.admin.xrangeBuffer(stream, '-', '+');
    const entry = fieldMap(fields);
    expect(entry.get(HeaderNames.id)?.toString()).toBe(sent.id);
    expect(entry.get(HeaderNames.key)?.toString()).toBe('order-1');
    expect(entry.get('x-tenant')?.toString()).toBe('acme');
    expect(JSON.parse(entry.get('body')?.toString() ?? '')).toEqual({
      orderId: 'o-1',
      note: 'zoë ✓',
    });
    expect(server.health().status).toBe('up');
    await sleep(200);
    expect(bed.handled).toHaveLength(1);
  });

  it('fans out to two groups and shares the work within one', async () => {
    const slow = sleepShort;
    const options = { consumerGroup: 'workers', concurrency: 2 };
    await bed.startServer(options, ['job.queued'], slow, 'a');
    await bed.startServer(options, ['job.queued'], slow, 'b');
    await bed.startServer({ consumerGroup: 'audit' }, ['job.queued']);
    const client = await bed.client();

    const ids: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const sent = await client.publishEvent(
        'job.queued',
        { i },
        { key: `job-${i}` },
      );
      ids.push(sent.id);
    }

    await waitUntil(() => bed.handled.length === 60, 10_000);
    await sleep(200);
    expect(bed.handledIds('workers').sort()).toEqual([...ids].sort());
    expect(bed.handledIds('audit').sort()).toEqual([...ids].sort());
    const by = (label: string) =>
      bed.handled.filter((run) => run.server === label).length;
    expect(by('a')).toBeGreaterThan(0);
    expect(by('b')).toBeGreaterThan(0);
    expect(by('a') + by('b')).toBe(30);
  });

  it('reads no more entries than it has free slots (backpressure)', async () => {
    let running = 0;
    let most = 0;
    await bed.startServer(
      { consumerGroup: 'slow', concurrency: 3 },
      ['work.item'],
      async () => {
        running += 1;
        most = Math.max(most, running);
        await sleep(100);
        running -= 1;
      },
    );
    const client = await bed.client();
    for (let i = 0; i < 12; i += 1) {
      await client.publishEvent('work.item', { i }, { key: `k-${i}` });
    }
    const stream = bed.stream('work.item');

    // Delivered to the consumer but not yet acked never exceeds the slots.
    let mostPending = 0;
    while (bed.handled.length < 12) {
      mostPending = Math.max(
        mostPending,
        await pendingCount(bed.admin, stream, 'slow'),
      );
      await sleep(10);
    }
    expect(most).toBe(3);
    expect(mostPending).toBeLessThanOrEqual(3);
  });

  it('handles a busy stream promptly while a quiet one blocks (fewer slots than streams)', async () => {
    // One slot, two streams, the quiet one first and a long block: a read
    // of the quiet stream alone would hold the busy one up for 5 s.
    await bed.startServer(
      { consumerGroup: 'orders', concurrency: 1, blockMs: 5_000 },
      ['payment.failed', 'payment.succeeded'],
    );
    const client = await bed.client();
    await sleep(200);

    const sentAt = new Map<string, number>();
    for (let i = 0; i < 5; i += 1) {
      const at = Date.now();
      const sent = await client.publishEvent(
        'payment.succeeded',
        { i },
        { key: `order-${i}` },
      );
      sentAt.set(sent.id, at);
      await sleep(50);
    }

    await waitUntil(() => bed.handled.length === 5, 10_000);
    const latencies = bed.handled.map(
      (run) => run.at - (sentAt.get(run.id) ?? 0),
    );
    expect(Math.max(...latencies)).toBeLessThan(2_000);
    const stream = bed.stream('payment.succeeded');
    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'orders')) === 0,
    );
  });

  it('trims streams by MAXLEN (approximate) on publish', async () => {
    const client = await bed.client({
      trim: { strategy: 'maxlen', maxLength: 10 },
    });
    const stream = bed.stream('metric.sampled');
    for (let i = 0; i < 250; i += 1) {
      await client.publishEvent('metric.sampled', { i }, { key: 'm' });
    }
    const length = await bed.admin.xlen(stream);
    // `~` cuts whole nodes (100 entries by default), never below 10.
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThanOrEqual(150);
  });

  it('trims streams by MINID (approximate) on publish', async () => {
    const client = await bed.client({
      trim: { strategy: 'minid', maxAgeMs: 500 },
    });
    const stream = bed.stream('metric.aged');
    for (let i = 0; i < 150; i += 1) {
      await client.publishEvent('metric.aged', { i }, { key: 'm' });
    }
    expect(await bed.admin.xlen(stream)).toBe(150);
    await sleep(700);
    await client.publishEvent('metric.aged', { i: 150 }, { key: 'm' });
    // The first, full node is older than the cut-off and goes as a whole.
    const length = await bed.admin.xlen(stream);
    expect(length).toBeLessThan(151);
    expect(length).toBeGreaterThanOrEqual(1);
  });

  it('fails a publish that WAIT cannot confirm on enough replicas', async () => {
    const client = await bed.client({
      waitForReplicas: { replicas: 1, timeoutMs: 50 },
    });
    await expect(
      client.publishEvent('order.created', { orderId: 'o-9' }, { key: 'o-9' }),
    ).rejects.toThrow(/WAIT 1 replica\(s\) within 50 ms failed/);
    // Stored on the primary all the same: the error says "may be lost".
    expect(await bed.admin.xlen(bed.stream('order.created'))).toBe(1);
  });
});
