import { HeaderNames } from '@mq/core';
import {
  fieldMap,
  killClientNamed,
  monitorCommands,
  pendingCount,
  RedisStreamsTestbed,
  sleep,
  waitUntil,
  type CommandLog,
} from './redis-streams.test-support.js';

describe('RedisStreamsServer and RedisStreamsClient batching', () => {
  let bed: RedisStreamsTestbed;
  let log: CommandLog | undefined;

  beforeEach(() => {
    bed = new RedisStreamsTestbed();
  });

  afterEach(async () => {
    await log?.stop();
    log = undefined;
    await bed.dispose();
  });

  it('acks entries handled together with one XACK, only after their handlers finished', async () => {
    const client = await bed.client();
    const stream = bed.stream('invoice.issued');
    for (let i = 0; i < 8; i += 1) {
      await client.publishEvent('invoice.issued', { i }, { key: `inv-${i}` });
    }
    log = await monitorCommands();
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await bed.startServer(
      { consumerGroup: 'ledger', concurrency: 8 },
      ['invoice.issued'],
      () => gate,
    );

    await waitUntil(() => bed.started.length === 8);
    await sleep(100);
    // Handlers are running: nothing is acknowledged yet.
    expect(await pendingCount(bed.admin, stream, 'ledger')).toBe(8);
    expect(log.naming(stream).filter(([name]) => name === 'xack')).toEqual([]);

    release?.();
    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'ledger')) === 0,
    );
    const acks = log.naming(stream).filter(([name]) => name === 'xack');
    const ackedIds = acks.flatMap((command) => command.slice(3));
    expect(acks).toHaveLength(1);
    expect(ackedIds).toHaveLength(8);
    // One read took all eight: the read is bounded by the free slots.
    const reads = log.naming(stream).filter(([name]) => name === 'xreadgroup');
    expect(reads.length).toBeGreaterThanOrEqual(1);
    const count = reads[0][reads[0].indexOf('COUNT') + 1];
    expect(count).toBe('8');
  });

  it('acks what it handled even when the reading connection dropped meanwhile', async () => {
    const client = await bed.client();
    const stream = bed.stream('invoice.voided');
    for (let i = 0; i < 4; i += 1) {
      await client.publishEvent('invoice.voided', { i }, { key: `inv-${i}` });
    }
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await bed.startServer(
      // A visibility timeout far beyond the test: only an ack empties it.
      { consumerGroup: 'ledger', concurrency: 4, visibilityTimeoutMs: 600_000 },
      ['invoice.voided'],
      () => gate,
    );
    await waitUntil(() => bed.started.length === 4);

    // The acks would ride on the next read of this connection.
    expect(
      await killClientNamed(bed.admin, `${server.connectionName}:reader`),
    ).toBe(1);
    release?.();

    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'ledger')) === 0,
      5_000,
    );
    await sleep(300);
    expect(bed.handled).toHaveLength(4);
  });

  it('publishes concurrent emits in call order, each settling on its own reply', async () => {
    const client = await bed.client();
    // A string where a stream should be: XADD to it fails with WRONGTYPE.
    await bed.admin.set(bed.stream('broken.type'), 'not a stream');

    const good = Array.from({ length: 20 }, (_, i) =>
      client.publishEvent('parcel.scanned', { i }, { key: 'parcel-1' }),
    );
    const bad = client.publishEvent(
      'broken.type',
      { i: 99 },
      { key: 'parcel-1' },
    );
    const results = await Promise.allSettled([...good, bad]);

    const failed = results.filter((result) => result.status === 'rejected');
    expect(failed).toHaveLength(1);
    await expect(bad).rejects.toThrow(
      /publishing broken\.type id=.* WRONGTYPE/,
    );
    const sent = await Promise.all(good);
    const stored = await bed.admin.xrangeBuffer(
      bed.stream('parcel.scanned'),
      '-',
      '+',
    );
    expect(
      stored.map(([, fields]) =>
        fieldMap(fields).get(HeaderNames.id)?.toString(),
      ),
    ).toEqual(sent.map((envelope) => envelope.id));
  });
});
