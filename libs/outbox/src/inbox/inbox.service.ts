import { Logger } from '@nestjs/common';
import { MessageScope } from '@mq/core';
import { LessThan, type DataSource, type EntityManager } from 'typeorm';
import { InboxMessage } from '../entities/inbox-message.entity.js';
import { inboxTable } from '../schema/outbox-tables.js';
import type { InboxResult } from './inbox-result.js';

/**
 * Idempotent consumer: records "consumer X processed message M" in the same
 * transaction as X's work, so a redelivered message changes nothing.
 */
export class InboxService {
  private readonly logger = new Logger(InboxService.name);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` once per (consumer, messageId). In one transaction it claims
   * the pair (INSERT ... ON CONFLICT DO NOTHING) and, when the claim is new,
   * runs `work(manager)`; both commit together. A concurrent delivery of the
   * same message waits on the key until the first commits and then is a
   * duplicate. When `work` throws, the claim rolls back with it and the
   * error propagates, so a retry processes the message again.
   *
   * Run it at the default READ COMMITTED isolation: under REPEATABLE READ
   * or SERIALIZABLE the waiting duplicate fails with a serialization error
   * instead (still safe: the transport retries it).
   */
  async runOnce<T>(
    consumer: string,
    messageId: string,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<InboxResult<T>> {
    if (!consumer || !messageId) {
      throw new TypeError(
        'InboxService.runOnce: consumer and messageId must be non-empty',
      );
    }
    const table = inboxTable(this.dataSource);
    return this.dataSource.transaction(async (manager) => {
      const claimed: unknown[] = await manager.query(
        `INSERT INTO ${table} ("consumer", "message_id") VALUES ($1, $2) ` +
          'ON CONFLICT DO NOTHING RETURNING 1',
        [consumer, messageId],
      );
      if (claimed.length === 0) {
        this.logger.debug(
          `Message ${messageId} already processed by ${consumer}; skipped`,
        );
        return { duplicate: true };
      }
      return { duplicate: false, result: await work(manager) };
    });
  }

  /**
   * `runOnce` for the message being handled: the id and consumer group come
   * from `MessageScope`. Pass `consumer` when two handlers of one group
   * handle the same message type, so each keeps its own record.
   */
  async runOnceForCurrentMessage<T>(
    work: (manager: EntityManager) => Promise<T>,
    options: { consumer?: string } = {},
  ): Promise<InboxResult<T>> {
    const scope = MessageScope.current();
    if (!scope) {
      throw new Error(
        'InboxService.runOnceForCurrentMessage: no message is being ' +
          'handled here; call it from a message handler or use runOnce',
      );
    }
    const consumer = options.consumer ?? scope.consumerGroup;
    return this.runOnce(consumer, scope.envelope.id, work);
  }

  /**
   * Deletes records processed before `before` and returns how many. Only
   * safe once no broker can redeliver messages that old.
   */
  async deleteProcessedBefore(before: Date): Promise<number> {
    const result = await this.dataSource
      .getRepository(InboxMessage)
      .delete({ processedAt: LessThan(before) });
    return result.affected ?? 0;
  }
}
