import {
  CodecError,
  createEnvelope,
  HeaderNames,
  MessageScope,
  MessageTooLargeError,
} from '@mq/core';
import { OutboxService } from '@mq/outbox';
import pg from 'pg';
import {
  createOutboxDatabase,
  type OutboxDatabase,
} from './support/outbox-database.js';
import { RecordingPublisher } from './support/recording.publisher.js';
import { RelayHarness } from './support/relay-harness.js';
import { waitFor } from '@mq/testing';

describe('OutboxService', () => {
  let db: OutboxDatabase;
  let relays: RelayHarness;
  const outbox = new OutboxService({ maxMessageBytes: 1024 });

  beforeAll(async () => {
    db = await createOutboxDatabase('outbox_service');
    await db.dataSource.query(
      `CREATE TABLE ${db.table('orders')} (id text PRIMARY KEY)`,
    );
    relays = new RelayHarness(db.dataSource);
  });

  afterEach(async () => {
    await relays.stopAll();
    await db.reset();
    await db.dataSource.query(`TRUNCATE ${db.table('orders')}`);
  });

  afterAll(async () => {
    await db.close();
  });

  async function orderIds(): Promise<string[]> {
    const rows: { id: string }[] = await db.dataSource.query(
      `SELECT id FROM ${db.table('orders')} ORDER BY id`,
    );
    return rows.map((row) => row.id);
  }

  describe('add', () => {
    it('writes nothing and publishes nothing when the transaction rolls back', async () => {
      const publisher = new RecordingPublisher();
      relays.start(publisher);

      await expect(
        db.dataSource.transaction(async (manager) => {
          await manager.query(
            `INSERT INTO ${db.table('orders')} (id) VALUES ('o-1')`,
          );
          await outbox.add(
            manager,
            'order.created',
            { id: 'o-1' },
            {
              key: 'o-1',
            },
          );
          throw new Error('business rule failed');
        }),
      ).rejects.toThrow('business rule failed');
      const marker = await db.dataSource.transaction((manager) =>
        outbox.add(manager, 'order.created', { id: 'o-2' }, { key: 'o-2' }),
      );

      await waitFor('the marker to be published', () =>
        publisher.ids().includes(marker.id),
      );
      expect(publisher.ids()).toEqual([marker.id]);
      expect((await db.outboxRows()).map((row) => row.key)).toEqual(['o-2']);
      expect(await orderIds()).toEqual([]);
    });

    it('commits the row with the business change and returns its envelope', async () => {
      const envelope = await db.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO ${db.table('orders')} (id) VALUES ('o-3')`,
        );
        return outbox.add(
          manager,
          'order.created',
          { id: 'o-3' },
          {
            key: 'o-3',
            headers: { tenant: 'acme' },
          },
        );
      });

      const rows: Record<string, unknown>[] = await db.dataSource.query(
        `SELECT * FROM ${db.table('outbox_messages')}`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        message_id: envelope.id,
        type: 'order.created',
        key: 'o-3',
        payload: '{"id":"o-3"}',
        published_at: null,
        publish_attempts: 0,
        last_error: null,
      });
      expect(rows[0].headers).toMatchObject({
        tenant: 'acme',
        [HeaderNames.correlationId]: envelope.id,
      });
      expect((rows[0].occurred_at as Date).toISOString()).toBe(
        envelope.occurredAt,
      );
      expect(await orderIds()).toEqual(['o-3']);
    });

    it('fails inside the transaction when the payload is over the limit', async () => {
      const large = { text: 'x'.repeat(2000) };

      await expect(
        db.dataSource.transaction(async (manager) => {
          await manager.query(
            `INSERT INTO ${db.table('orders')} (id) VALUES ('o-4')`,
          );
          await outbox.add(manager, 'order.created', large, { key: 'o-4' });
        }),
      ).rejects.toBeInstanceOf(MessageTooLargeError);
      expect(await orderIds()).toEqual([]);
      expect(await db.outboxRows()).toEqual([]);
    });

    // Found by publishing a 3,000-byte key through the Postgres transport:
    // its index refuses it, so such a row fails every relay batch forever
    // and holds back every message committed after it.
    it('fails inside the transaction when the key is over the limit', async () => {
      const key = 'k'.repeat(1025);

      await expect(
        db.dataSource.transaction(async (manager) => {
          await manager.query(
            `INSERT INTO ${db.table('orders')} (id) VALUES ('o-6')`,
          );
          await outbox.add(manager, 'order.created', {}, { key });
        }),
      ).rejects.toThrow(/key of 1025 bytes, over the limit of 1024/);
      expect(await orderIds()).toEqual([]);
      expect(await db.outboxRows()).toEqual([]);
    });

    it('fails inside the transaction for a value JSON cannot carry', async () => {
      await expect(
        db.dataSource.transaction((manager) =>
          outbox.add(manager, 'order.created', { total: 10n }, { key: 'o-5' }),
        ),
      ).rejects.toBeInstanceOf(CodecError);
      expect(await db.outboxRows()).toEqual([]);
    });

    it('refuses a manager that is not in a transaction', async () => {
      await expect(
        outbox.add(db.dataSource.manager, 'order.created', {}, { key: 'k' }),
      ).rejects.toThrow(/running transaction/);
    });

    it('inherits correlation and causation inside a message handler', async () => {
      const handled = createEnvelope('payment.succeeded', {}, { key: 'o-6' });

      const added = await MessageScope.run(
        { envelope: handled, consumerGroup: 'orders', attempt: 1 },
        () =>
          db.dataSource.transaction((manager) =>
            outbox.add(manager, 'order.confirmed', {}, { key: 'o-6' }),
          ),
      );

      expect(added.headers[HeaderNames.correlationId]).toBe(handled.id);
      expect(added.headers[HeaderNames.causationId]).toBe(handled.id);
      const [row] = await db.dataSource.query<
        { headers: Record<string, string> }[]
      >(`SELECT headers FROM ${db.table('outbox_messages')}`);
      expect(row.headers[HeaderNames.causationId]).toBe(handled.id);
    });

    it('round-trips Dates and Buffers to the publisher', async () => {
      const publisher = new RecordingPublisher();
      relays.start(publisher);
      const when = new Date('2025-01-02T03:04:05.678Z');

      const added = await db.dataSource.transaction((manager) =>
        outbox.add(
          manager,
          'document.stored',
          { when, bytes: Buffer.from([0, 1, 254, 255]) },
          { key: 'd-1' },
        ),
      );

      await waitFor('the publish', () => publisher.published.length === 1);
      const [published] = publisher.published;
      const payload = published.payload as { when: Date; bytes: Buffer };
      expect(payload.when).toBeInstanceOf(Date);
      expect(payload.when.toISOString()).toBe(when.toISOString());
      expect(Buffer.isBuffer(payload.bytes)).toBe(true);
      expect([...payload.bytes]).toEqual([0, 1, 254, 255]);
      expect(published).toMatchObject({
        id: added.id,
        type: 'document.stored',
        key: 'd-1',
        occurredAt: added.occurredAt,
        headers: added.headers,
      });
    });

    it('notifies the relay channel on commit only', async () => {
      const listener = new pg.Client({ connectionString: db.url });
      await listener.connect();
      const channels: string[] = [];
      listener.on('notification', (message) => channels.push(message.channel));
      try {
        await listener.query(`LISTEN "${db.schema}_outbox"`);

        await expect(
          db.dataSource.transaction(async (manager) => {
            await outbox.add(manager, 'order.created', {}, { key: 'a' });
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        await db.dataSource.transaction(async (manager) => {
          await outbox.add(manager, 'order.created', {}, { key: 'b' });
          await outbox.add(manager, 'order.created', {}, { key: 'c' });
        });
        await listener.query('SELECT 1');

        expect(channels).toEqual([`${db.schema}_outbox`]);
      } finally {
        await listener.end();
      }
    });
  });

  describe('addMany', () => {
    it('writes the messages in the order given, checking all first', async () => {
      await expect(
        db.dataSource.transaction((manager) =>
          outbox.addMany(manager, [
            { type: 't', payload: { n: 1 }, key: 'a' },
            { type: 't', payload: { n: 'x'.repeat(2000) }, key: 'b' },
          ]),
        ),
      ).rejects.toBeInstanceOf(MessageTooLargeError);
      expect(await db.outboxRows()).toEqual([]);

      const added = await db.dataSource.transaction((manager) =>
        outbox.addMany(
          manager,
          ['k1', 'k2', 'k1', 'k3'].map((key, n) => ({
            type: 'item.added',
            payload: { n },
            key,
          })),
        ),
      );

      const rows = await db.outboxRows();
      expect(rows.map((row) => row.message_id)).toEqual(
        added.map((envelope) => envelope.id),
      );
      expect(rows.map((row) => row.key)).toEqual(['k1', 'k2', 'k1', 'k3']);
    });
  });
});
