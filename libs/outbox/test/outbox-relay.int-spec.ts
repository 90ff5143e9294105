import { OutboxService } from '@mq/outbox';
import {
  createOutboxDatabase,
  type OutboxDatabase,
} from './support/outbox-database.js';
import { RecordingPublisher } from './support/recording.publisher.js';
import { RelayHarness } from './support/relay-harness.js';
import { waitFor } from '@mq/testing';

describe('OutboxRelay', () => {
  let db: OutboxDatabase;
  let relays: RelayHarness;
  const outbox = new OutboxService();

  beforeAll(async () => {
    db = await createOutboxDatabase('outbox_relay');
    relays = new RelayHarness(db.dataSource);
  });

  afterEach(async () => {
    await relays.stopAll();
    await db.reset();
  });

  afterAll(async () => {
    await db.close();
  });

  function addCommitted(key: string, payload: unknown = { key }) {
    return db.dataSource.transaction((manager) =>
      outbox.add(manager, 'item.changed', payload, { key }),
    );
  }

  async function lockIsFree(name: string): Promise<boolean> {
    const runner = db.dataSource.createQueryRunner();
    try {
      const [row] = (await runner.query(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS free',
        [name],
      )) as { free: boolean }[];
      if (row.free) {
        await runner.query(
          'SELECT pg_advisory_unlock(hashtextextended($1, 0))',
          [name],
        );
      }
      return row.free;
    } finally {
      await runner.release();
    }
  }

  async function unpublishedCount(): Promise<number> {
    const rows = await db.outboxRows();
    return rows.filter((row) => row.published_at === null).length;
  }

  it('publishes committed rows in id order, in batches, and marks them', async () => {
    const keys = ['a', 'b', 'a', 'c', 'b', 'a', 'c', 'a', 'b', 'a'];
    const added = [];
    for (const key of keys) {
      added.push(await addCommitted(key));
    }
    const publisher = new RecordingPublisher();

    const relay = relays.start(publisher, { batchSize: 3 });

    await waitFor('all rows published', () => publisher.published.length >= 10);
    await waitFor(
      'all rows marked',
      async () => (await unpublishedCount()) === 0,
    );
    expect(publisher.ids()).toEqual(added.map((envelope) => envelope.id));
    expect(publisher.calls).toBe(4);
    for (const key of ['a', 'b', 'c']) {
      expect(
        publisher.published.filter((e) => e.key === key).map((e) => e.id),
      ).toEqual(added.filter((e) => e.key === key).map((e) => e.id));
    }
    const rows = await db.outboxRows();
    expect(rows.every((row) => row.publish_attempts === 1)).toBe(true);
    expect(relay.stats()).toMatchObject({
      state: 'active',
      publishedTotal: 10,
      failures: 0,
    });
    expect(relay.health()).toEqual({ status: 'up', detail: 'active' });
  });

  it('keeps rows while the publisher fails and publishes each once after', async () => {
    const publisher = new RecordingPublisher().failNext(3, 'broker down');
    const first = await addCommitted('k');
    const second = await addCommitted('k');

    const relay = relays.start(publisher);

    await waitFor('two failures', () => publisher.calls >= 2);
    const during = await db.outboxRows();
    expect(during.every((row) => row.published_at === null)).toBe(true);
    expect(during.every((row) => row.last_error === 'broker down')).toBe(true);
    expect(relay.health().status).toBe('down');
    await waitFor('the publish', () => publisher.published.length > 0);
    await waitFor('rows marked', async () => (await unpublishedCount()) === 0);

    expect(publisher.ids()).toEqual([first.id, second.id]);
    const rows = await db.outboxRows();
    expect(rows.map((row) => row.publish_attempts)).toEqual([4, 4]);
    expect(rows.map((row) => row.last_error)).toEqual([
      'broker down',
      'broker down',
    ]);
    const stats = relay.stats();
    expect(stats).toMatchObject({
      publishedTotal: 2,
      failures: 3,
      consecutiveFailures: 0,
      lastError: 'broker down',
    });
    expect(stats.lastErrorAt).toBeInstanceOf(Date);
    expect(relay.health().status).toBe('up');
  });

  it('retries a batch the publisher did not confirm in time', async () => {
    const publisher = new RecordingPublisher().slowDown(300, 1);
    const added = await addCommitted('t');

    relays.start(publisher, { publishTimeoutMs: 100 });

    await waitFor('rows marked', async () => (await unpublishedCount()) === 0);
    const [row] = await db.outboxRows();
    expect(row.publish_attempts).toBe(2);
    expect(row.last_error).toBe('publisher did not confirm within 100 ms');
    // The slow first try still reached the broker: the consumer sees the
    // message twice and its inbox absorbs the second copy.
    await waitFor(
      'the slow try to land',
      () => publisher.published.length === 2,
    );
    expect(publisher.ids()).toEqual([added.id, added.id]);
  });

  it('wakes on NOTIFY long before the poll interval', async () => {
    const publisher = new RecordingPublisher();
    const relay = relays.start(publisher, { pollIntervalMs: 60_000 });
    await relays.untilState(relay, 'active');
    // Let the first scan finish, so the wait below is on the poll timer.
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    const added = await addCommitted('n');
    await waitFor('the publish', () => publisher.published.length === 1);

    expect(Date.now() - started).toBeLessThan(1000);
    expect(publisher.ids()).toEqual([added.id]);
  });

  it('listens again after its connection was killed', async () => {
    const publisher = new RecordingPublisher();
    const relay = relays.start(publisher, { pollIntervalMs: 60_000 });
    await relays.untilState(relay, 'active');

    await relays.killConnection(relay);
    await waitFor('the failure', () => relay.stats().failures === 1);
    await relays.untilState(relay, 'active');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const added = await addCommitted('r');

    await waitFor('the publish', () => publisher.published.length === 1);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(publisher.ids()).toEqual([added.id]);
  });

  it('publishes a lower id that commits after a higher id was published', async () => {
    const publisher = new RecordingPublisher();
    relays.start(publisher);
    const slow = db.dataSource.createQueryRunner();
    await slow.connect();
    try {
      await slow.startTransaction();
      const lower = await outbox.add(slow.manager, 't', { n: 1 }, { key: 'a' });
      const higher = await addCommitted('b');

      await waitFor('the higher id published', () =>
        publisher.ids().includes(higher.id),
      );
      const before = await db.outboxRows();
      expect(before.map((row) => row.message_id)).toEqual([higher.id]);
      expect(before[0].id).toBe('2');

      await slow.commitTransaction();
      await waitFor('the lower id published', () =>
        publisher.ids().includes(lower.id),
      );
      expect(publisher.ids()).toEqual([higher.id, lower.id]);
      const after = await db.outboxRows();
      expect(after.map((row) => [row.id, row.message_id])).toEqual([
        ['1', lower.id],
        ['2', higher.id],
      ]);
      await waitFor(
        'both marked',
        async () => (await unpublishedCount()) === 0,
      );
    } finally {
      await slow.release();
    }
  });

  it('deletes published rows older than the retention, and only those', async () => {
    const old = await addCommitted('old');
    const recent = await addCommitted('recent');
    const publisher = new RecordingPublisher();
    const relay = relays.start(publisher);
    await waitFor('rows marked', async () => (await unpublishedCount()) === 0);
    await relay.stop();
    await db.dataSource.query(
      `UPDATE ${db.table('outbox_messages')} SET published_at = ` +
        "now() - interval '8 days' WHERE message_id = $1",
      [old.id],
    );
    const pending = await addCommitted('pending');
    await db.dataSource.query(
      `UPDATE ${db.table('outbox_messages')} SET created_at = ` +
        "now() - interval '30 days' WHERE message_id = $1",
      [pending.id],
    );

    relays.start(new RecordingPublisher(), { cleanupIntervalMs: 50 });

    await waitFor('the old row deleted', async () =>
      (await db.outboxRows()).every((row) => row.message_id !== old.id),
    );
    const ids = (await db.outboxRows()).map((row) => row.message_id);
    expect(ids).toEqual([recent.id, pending.id]);
  });

  it('stops gracefully: finishes the batch in flight, unlocks, disconnects', async () => {
    const publisher = new RecordingPublisher().slowDown(300);
    const added = await addCommitted('s');
    const relay = relays.start(publisher);
    await waitFor('the publish to start', () => publisher.calls === 1);

    await relay.stop();

    expect(publisher.ids()).toEqual([added.id]);
    expect(await unpublishedCount()).toBe(0);
    expect(await relays.connections(relay)).toBe(0);
    expect(await lockIsFree(`mq-outbox:${db.schema}.outbox_messages`)).toBe(
      true,
    );
    expect(relay.health()).toEqual({ status: 'down', detail: 'relay stopped' });
  });
});
