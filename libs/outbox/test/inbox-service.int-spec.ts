import { createEnvelope, MessageScope } from '@mq/core';
import { InboxService } from '@mq/outbox';
import type { EntityManager } from 'typeorm';
import {
  createOutboxDatabase,
  type OutboxDatabase,
} from './support/outbox-database.js';

describe('InboxService', () => {
  let db: OutboxDatabase;
  let inbox: InboxService;

  beforeAll(async () => {
    db = await createOutboxDatabase('outbox_inbox');
    await db.dataSource.query(
      `CREATE TABLE ${db.table('charges')} (order_id text, message_id text)`,
    );
    inbox = new InboxService(db.dataSource);
  });

  afterEach(async () => {
    await db.reset();
    await db.dataSource.query(`TRUNCATE ${db.table('charges')}`);
  });

  afterAll(async () => {
    await db.close();
  });

  function charge(orderId: string, messageId: string) {
    return async (manager: EntityManager) => {
      await manager.query(
        `INSERT INTO ${db.table('charges')} (order_id, message_id) ` +
          'VALUES ($1, $2)',
        [orderId, messageId],
      );
      return `charged ${orderId}`;
    };
  }

  async function charges(): Promise<string[]> {
    const rows: { order_id: string }[] = await db.dataSource.query(
      `SELECT order_id FROM ${db.table('charges')}`,
    );
    return rows.map((row) => row.order_id);
  }

  async function inboxRows(): Promise<
    { consumer: string; message_id: string }[]
  > {
    return db.dataSource.query(
      `SELECT consumer, message_id FROM ${db.table('inbox_messages')}`,
    );
  }

  describe('runOnce', () => {
    it('runs the work once for the same message delivered twice', async () => {
      const first = await inbox.runOnce(
        'payments',
        'm-1',
        charge('o-1', 'm-1'),
      );
      const second = await inbox.runOnce(
        'payments',
        'm-1',
        charge('o-1', 'm-1'),
      );

      expect(first).toEqual({ duplicate: false, result: 'charged o-1' });
      expect(second).toEqual({ duplicate: true });
      expect(await charges()).toEqual(['o-1']);
      expect(await inboxRows()).toEqual([
        { consumer: 'payments', message_id: 'm-1' },
      ]);
    });

    it('keeps one record per consumer', async () => {
      await inbox.runOnce('payments', 'm-2', charge('o-2', 'm-2'));
      const other = await inbox.runOnce('audit', 'm-2', async () => 'seen');

      expect(other).toEqual({ duplicate: false, result: 'seen' });
      expect(await inboxRows()).toHaveLength(2);
    });

    it('runs the work once for two concurrent deliveries', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const firstStarted = new Promise<void>((resolve) => (started = resolve));
      let runs = 0;
      const work = async (manager: EntityManager) => {
        runs += 1;
        started();
        await charge('o-3', 'm-3')(manager);
        await held;
        return runs;
      };

      const first = inbox.runOnce('payments', 'm-3', work);
      await firstStarted;
      const second = inbox.runOnce('payments', 'm-3', work);
      // The second claim waits on the key while the first is open.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const waiting: { count: string }[] = await db.dataSource.query(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' " +
          "AND query LIKE '%inbox_messages%'",
      );
      release();
      const results = await Promise.all([first, second]);

      expect(Number(waiting[0].count)).toBeGreaterThanOrEqual(1);
      expect(results).toEqual([
        { duplicate: false, result: 1 },
        { duplicate: true },
      ]);
      expect(runs).toBe(1);
      expect(await charges()).toEqual(['o-3']);
    });

    it('rolls the record back with failing work, so a retry runs it', async () => {
      const failing = async (manager: EntityManager) => {
        await charge('o-4', 'm-4')(manager);
        throw new Error('gateway timeout');
      };

      await expect(inbox.runOnce('payments', 'm-4', failing)).rejects.toThrow(
        'gateway timeout',
      );
      expect(await inboxRows()).toEqual([]);
      expect(await charges()).toEqual([]);

      const retry = await inbox.runOnce(
        'payments',
        'm-4',
        charge('o-4', 'm-4'),
      );
      expect(retry).toEqual({ duplicate: false, result: 'charged o-4' });
      expect(await charges()).toEqual(['o-4']);
    });
  });

  describe('runOnceForCurrentMessage', () => {
    const envelope = createEnvelope('order.created', {}, { key: 'o-5' });
    const scope = { envelope, consumerGroup: 'payments', attempt: 1 };

    it('takes the message id and consumer group from the handler scope', async () => {
      const first = await MessageScope.run(scope, () =>
        inbox.runOnceForCurrentMessage(charge('o-5', envelope.id)),
      );
      const again = await MessageScope.run({ ...scope, attempt: 2 }, () =>
        inbox.runOnceForCurrentMessage(charge('o-5', envelope.id)),
      );

      expect(first.duplicate).toBe(false);
      expect(again.duplicate).toBe(true);
      expect(await inboxRows()).toEqual([
        { consumer: 'payments', message_id: envelope.id },
      ]);
    });

    it('uses the consumer name given for a second handler', async () => {
      await MessageScope.run(scope, async () => {
        await inbox.runOnceForCurrentMessage(async () => 'a');
        const second = await inbox.runOnceForCurrentMessage(async () => 'b', {
          consumer: 'payments.audit',
        });
        expect(second).toEqual({ duplicate: false, result: 'b' });
      });
    });

    it('refuses to run outside a message handler', async () => {
      await expect(
        inbox.runOnceForCurrentMessage(async () => 'x'),
      ).rejects.toThrow(/no message is being handled/);
    });
  });

  describe('deleteProcessedBefore', () => {
    it('deletes old records only', async () => {
      await inbox.runOnce('payments', 'old', async () => undefined);
      await inbox.runOnce('payments', 'new', async () => undefined);
      await db.dataSource.query(
        `UPDATE ${db.table('inbox_messages')} SET processed_at = ` +
          "now() - interval '40 days' WHERE message_id = 'old'",
      );

      const deleted = await inbox.deleteProcessedBefore(
        new Date(Date.now() - 30 * 24 * 3600 * 1000),
      );

      expect(deleted).toBe(1);
      expect((await inboxRows()).map((row) => row.message_id)).toEqual(['new']);
    });
  });
});
