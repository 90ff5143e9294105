import { Logger } from '@nestjs/common';
import {
  killClients,
  pendingCount,
  RedisProxy,
  RedisStreamsTestbed,
  sleep,
  waitUntil,
} from './redis-streams.test-support.js';

/** Reads entries as a consumer that then "crashes": it never acks them. */
async function readAndAbandon(
  bed: RedisStreamsTestbed,
  stream: string,
  group: string,
  consumer: string,
  count: number,
): Promise<string[]> {
  const reply = (await bed.admin.xreadgroup(
    'GROUP',
    group,
    consumer,
    'COUNT',
    count,
    'STREAMS',
    stream,
    '>',
  )) as Array<[string, Array<[string, string[]]>]>;
  return reply[0][1].map(([id]) => id);
}

describe('RedisStreamsServer recovery', () => {
  let bed: RedisStreamsTestbed;
  let proxy: RedisProxy | undefined;

  beforeEach(() => {
    bed = new RedisStreamsTestbed();
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await bed.dispose();
    await proxy?.stop();
    proxy = undefined;
  });

  it('goes on when its blocked read connection is killed (CLIENT KILL)', async () => {
    // A long block: waiting it out would fail the time limit below.
    const server = await bed.startServer(
      { consumerGroup: 'billing', blockMs: 10_000 },
      ['order.created'],
    );
    const client = await bed.client();
    await sleep(200);
    const blocked = (await bed.admin.client('LIST')) as string;
    expect(blocked).toMatch(
      new RegExp(`name=${server.connectionName}:reader .*cmd=xreadgroup`),
    );

    expect(await killClients(bed.admin, server.connectionName)).toBe(2);
    const startedAt = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      ids.push(
        (await client.publishEvent('order.created', { i }, { key: `k${i}` }))
          .id,
      );
    }

    await waitUntil(() => bed.handled.length >= 10, 5_000);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(new Set(bed.handledIds())).toEqual(new Set(ids));
    await waitUntil(() => server.health().status === 'up');
  });

  it('recycles a read connection that went silent without closing', async () => {
    proxy = new RedisProxy();
    await proxy.start();
    await bed.startServer(
      {
        consumerGroup: 'billing',
        url: proxy.url,
        blockMs: 500,
        visibilityTimeoutMs: 1_000,
        claimIntervalMs: 200,
        socketTimeoutMs: 1_000,
      },
      ['order.created'],
    );
    const client = await bed.client();
    await sleep(100);

    // The blocked read's socket stops carrying data both ways.
    proxy.freeze();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(
        (await client.publishEvent('order.created', { i }, { key: `k${i}` }))
          .id,
      );
    }

    // Entries sent into the dead socket are reclaimed; the rest read anew.
    await waitUntil(() => new Set(bed.handledIds()).size === 5, 8_000);
    expect(new Set(bed.handledIds())).toEqual(new Set(ids));
  });

  it('reports down while Redis is unreachable, and catches up after', async () => {
    proxy = new RedisProxy();
    await proxy.start();
    const server = await bed.startServer(
      { consumerGroup: 'billing', url: proxy.url, blockMs: 500 },
      ['order.created'],
    );
    const client = await bed.client();
    expect(server.health().status).toBe('up');

    await proxy.cut();
    await waitUntil(() => server.health().status === 'down');
    expect(server.health().detail).toMatch(/reconnecting|connecting|close/);
    const sent = await client.publishEvent(
      'order.created',
      { n: 1 },
      { key: 'k' },
    );
    await sleep(300);
    expect(server.health().status).toBe('down');
    expect(bed.handled).toHaveLength(0);

    await proxy.restore();
    await waitUntil(() => server.health().status === 'up', 5_000);
    await waitUntil(() => bed.handled.length === 1, 5_000);
    expect(bed.handled[0].id).toBe(sent.id);
  });

  it('reclaims the pending entries of a crashed consumer after the visibility timeout', async () => {
    const stream = bed.stream('order.created');
    await bed.admin.xgroup('CREATE', stream, 'billing', '0', 'MKSTREAM');
    const client = await bed.client();
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      ids.push(
        (await client.publishEvent('order.created', { i }, { key: `k${i}` }))
          .id,
      );
    }
    const taken = await readAndAbandon(bed, stream, 'billing', 'crashed', 4);
    expect(taken).toHaveLength(4);

    const startedAt = Date.now();
    await bed.startServer(
      {
        consumerGroup: 'billing',
        visibilityTimeoutMs: 600,
        claimIntervalMs: 100,
      },
      ['order.created'],
    );
    await waitUntil(() => bed.handled.length === 4, 5_000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(400);
    expect(bed.handledIds().sort()).toEqual([...ids].sort());
    // A second delivery of each: the crashed one had the first.
    expect(bed.handled.map((run) => run.attempt)).toEqual([2, 2, 2, 2]);
    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'billing')) === 0,
    );
  });

  it('acks and skips a pending entry deleted before it was reclaimed', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn');
    const stream = bed.stream('order.created');
    await bed.admin.xgroup('CREATE', stream, 'billing', '0', 'MKSTREAM');
    const client = await bed.client();
    const kept = await client.publishEvent(
      'order.created',
      { n: 1 },
      { key: 'a' },
    );
    await client.publishEvent('order.created', { n: 2 }, { key: 'b' });
    const [, deletedId] = await readAndAbandon(
      bed,
      stream,
      'billing',
      'crashed',
      2,
    );
    expect(await bed.admin.xdel(stream, deletedId)).toBe(1);

    await bed.startServer(
      {
        consumerGroup: 'billing',
        visibilityTimeoutMs: 300,
        claimIntervalMs: 100,
      },
      ['order.created'],
    );
    await waitUntil(() => bed.handled.length === 1, 5_000);
    expect(bed.handled[0].id).toBe(kept.id);
    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'billing')) === 0,
    );
    expect(warn.mock.calls.map(([message]) => String(message))).toContainEqual(
      expect.stringContaining(
        `deleted or trimmed before being handled (group billing): ${deletedId}`,
      ),
    );

    // Still working.
    const later = await client.publishEvent(
      'order.created',
      { n: 3 },
      { key: 'c' },
    );
    await waitUntil(() => bed.handledIds().includes(later.id));
  });

  it('dead-letters an entry delivered more often than maxAttempts without an outcome', async () => {
    const stream = bed.stream('order.created');
    await bed.admin.xgroup('CREATE', stream, 'billing', '0', 'MKSTREAM');
    const client = await bed.client();
    const poison = await client.publishEvent(
      'order.created',
      { n: 1 },
      { key: 'p' },
    );
    const [id] = await readAndAbandon(bed, stream, 'billing', 'crash-1', 1);
    // Two more consumers took it over and "crashed" as well: 3 deliveries.
    await bed.admin.xclaim(stream, 'billing', 'crash-2', 0, id);
    await bed.admin.xclaim(stream, 'billing', 'crash-3', 0, id);

    await bed.startServer(
      {
        consumerGroup: 'billing',
        visibilityTimeoutMs: 200,
        claimIntervalMs: 50,
        retry: { maxAttempts: 3 },
      },
      ['order.created'],
    );
    const store = bed.deadLetters('billing');
    await waitUntil(async () => (await store.count()) === 1, 5_000);
    const [letter] = await store.list();
    expect(letter).toMatchObject({
      messageId: poison.id,
      metadata: { attempts: 3, errorName: 'DeliveryLimitExceeded' },
    });
    expect(bed.started).toHaveLength(0);
  });

  it('recreates a destroyed consumer group, logs the gap and goes on', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn');
    await bed.startServer({ consumerGroup: 'billing', blockMs: 300 }, [
      'order.created',
    ]);
    const client = await bed.client();
    const before = await client.publishEvent(
      'order.created',
      { n: 1 },
      { key: 'k' },
    );
    await waitUntil(() => bed.handled.length === 1);
    const stream = bed.stream('order.created');

    expect(await bed.admin.xgroup('DESTROY', stream, 'billing')).toBe(1);
    await sleep(500);
    const after = await client.publishEvent(
      'order.created',
      { n: 2 },
      { key: 'k' },
    );

    await waitUntil(() => bed.handledIds().includes(after.id), 5_000);
    const messages = warn.mock.calls.map(([message]) => String(message));
    const gap = messages.find((message) => message.includes('had disappeared'));
    expect(gap).toContain(`consumer group billing on ${stream}`);
    expect(gap).toContain(`recreated at ${await firstEntryId(bed, stream)}`);
    // Recreated after the last entry read: the old one is not redelivered.
    await sleep(300);
    expect(bed.handledIds()).toEqual([before.id, after.id]);
  });

  it('recreates group and stream after they vanished (a Redis without persistence restarted)', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn');
    await bed.startServer({ consumerGroup: 'billing', blockMs: 300 }, [
      'order.created',
    ]);
    const client = await bed.client();
    await client.publishEvent('order.created', { n: 1 }, { key: 'k' });
    await waitUntil(() => bed.handled.length === 1);
    const stream = bed.stream('order.created');

    await bed.admin.del(stream);
    await sleep(500);
    const after = await client.publishEvent(
      'order.created',
      { n: 2 },
      { key: 'k' },
    );

    await waitUntil(() => bed.handledIds().includes(after.id), 5_000);
    const gap = warn.mock.calls
      .map(([message]) => String(message))
      .find((message) => message.includes('had disappeared'));
    expect(gap).toBeDefined();
    expect(await bed.admin.xlen(stream)).toBe(1);
  });

  it('keeps the entries of a handler slower than the visibility timeout', async () => {
    const options = {
      consumerGroup: 'billing',
      visibilityTimeoutMs: 400,
      claimIntervalMs: 100,
    };
    const slow = sleepLong;
    await bed.startServer(options, ['order.created'], slow, 'a');
    await bed.startServer(options, ['order.created'], slow, 'b');
    const client = await bed.client();
    const sent = await client.publishEvent(
      'order.created',
      { n: 1 },
      { key: 'k' },
    );

    await waitUntil(() => bed.handled.length === 1, 5_000);
    await sleep(600);
    expect(bed.started.map((run) => run.id)).toEqual([sent.id]);
  });

  it('shuts down gracefully: stops reading, finishes in-flight work, acks, closes', async () => {
    const stream = bed.stream('order.created');
    const options = {
      consumerGroup: 'billing',
      blockMs: 10_000,
      visibilityTimeoutMs: 1_000,
      claimIntervalMs: 100,
    };
    const first = await bed.startServer(
      options,
      ['order.created'],
      async (_payload, context) => {
        if (context.getEnvelope().key === 'slow') {
          await sleep(800);
        }
      },
      'first',
    );
    const client = await bed.client();
    const slow = await client.publishEvent(
      'order.created',
      { n: 0 },
      { key: 'slow' },
    );
    await waitUntil(() => bed.started.length === 1);

    const closedAfter = Date.now();
    const closing = first.close();
    const later: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      later.push(
        (await client.publishEvent('order.created', { i }, { key: `k${i}` }))
          .id,
      );
    }
    await closing;
    // Far sooner than the 10 s block: the blocked read was ended at once.
    expect(Date.now() - closedAfter).toBeLessThan(2_000);
    expect(bed.handled.map((run) => [run.id, run.server])).toEqual([
      [slow.id, 'first'],
    ]);
    expect(first.health().status).toBe('down');
    const connections = (await bed.admin.client('LIST')) as string;
    expect(connections).not.toContain(`name=${first.connectionName}:`);

    await bed.startServer(options, ['order.created'], () => undefined, 'next');
    await waitUntil(
      () => later.every((id) => bed.handledIds().includes(id)),
      5_000,
    );
    expect(bed.started.filter((run) => run.server === 'first')).toHaveLength(1);
    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'billing')) === 0,
    );
  });
});

function sleepLong(): Promise<void> {
  return sleep(1_200);
}

async function firstEntryId(
  bed: RedisStreamsTestbed,
  stream: string,
): Promise<string> {
  const [[id]] = await bed.admin.xrange(stream, '-', '+', 'COUNT', 1);
  return id;
}
