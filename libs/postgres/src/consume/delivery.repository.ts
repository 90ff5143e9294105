import type { DeadLetterMetadata, FailureInfo } from '@mq/core';
import type { Queryable } from '../connection/queryable.js';
import { MAX_ERROR_MESSAGE_LENGTH } from '../postgres.constants.js';
import type { QueueSchema } from '../schema/queue-schema.js';
import { registerSubscriptions } from '../schema/register-subscriptions.js';
import type { ClaimedDelivery } from './claimed-delivery.js';

interface ClaimRow {
  id: string;
  message_id: string;
  type: string;
  key: string;
  attempts: number;
  first_failed_at: Date | null;
  headers: Record<string, unknown>;
  body: Buffer;
}

/**
 * The SQL of one consumer group's deliveries. Every write after the claim
 * is conditioned on this owner still holding the lease, so a server whose
 * lease expired (and was taken over) cannot overwrite the new holder.
 */
export class DeliveryRepository {
  constructor(
    private readonly db: Queryable,
    private readonly schema: QueueSchema,
    private readonly consumerGroup: string,
    private readonly owner: string,
  ) {}

  /** Registers the group for these types; later publishes fan out to it. */
  async subscribe(patterns: readonly string[]): Promise<void> {
    await registerSubscriptions(this.db, this.consumerGroup, patterns, {
      schema: this.schema.name,
      listenChannel: this.schema.channel,
    });
  }

  /**
   * Leases up to `limit` deliveries that are due, not leased (or whose
   * lease expired) and have no earlier unfinished delivery with the same
   * key in this group. Counts the attempt. Rows come back in publish order.
   * `inFlight` are deliveries this server still works on: their lease may
   * have run out (an outcome write waiting for the database), but taking
   * them again would run their handler a second time.
   */
  async claim(
    limit: number,
    leaseMs: number,
    inFlight: readonly string[] = [],
  ): Promise<ClaimedDelivery[]> {
    const d = this.schema.deliveries;
    const result = await this.db.query<ClaimRow>(
      `UPDATE ${d} AS d
       SET attempts = d.attempts + 1,
           leased_by = $2,
           leased_until = now() + $3 * interval '1 millisecond'
       FROM ${this.schema.messages} AS m
       WHERE m.id = d.message_id
         AND (d.consumer_group, d.message_id) IN (
           SELECT c.consumer_group, c.message_id
           FROM ${d} AS c
           WHERE c.consumer_group = $1
             AND c.status = 'pending'
             AND c.available_at <= now()
             AND (c.leased_until IS NULL OR c.leased_until <= now())
             AND c.message_id <> ALL($5::bigint[])
             AND NOT EXISTS (
               SELECT 1 FROM ${d} AS e
               WHERE e.consumer_group = c.consumer_group
                 AND e.key = c.key
                 AND e.status = 'pending'
                 AND e.message_id < c.message_id
             )
           ORDER BY c.message_id
           LIMIT $4
           FOR UPDATE OF c SKIP LOCKED
         )
       RETURNING d.message_id AS id, m.message_id::text AS message_id,
                 m.type, m.key, d.attempts, d.first_failed_at,
                 m.headers, m.body`,
      [this.consumerGroup, this.owner, leaseMs, limit, inFlight],
    );
    return result.rows.map((row) => ({
      id: row.id,
      messageId: row.message_id,
      type: row.type,
      key: row.key,
      attempts: row.attempts,
      firstFailedAt: row.first_failed_at,
      headers: row.headers,
      body: row.body,
    }));
  }

  /** The handler succeeded. False when the lease was no longer ours. */
  async markDone(id: string): Promise<boolean> {
    return this.updateLeased(
      id,
      `status = 'done', finished_at = now(),
       leased_by = NULL, leased_until = NULL`,
      [],
    );
  }

  /** Makes the delivery due again after `delayMs`, keeping its count. */
  async scheduleRetry(
    id: string,
    delayMs: number,
    failure: FailureInfo,
  ): Promise<boolean> {
    return this.updateLeased(
      id,
      `available_at = now() + $4 * interval '1 millisecond',
       leased_by = NULL, leased_until = NULL,
       first_failed_at = coalesce(first_failed_at, now()),
       last_failed_at = now(),
       last_error_name = $5, last_error_message = $6`,
      [delayMs, storable(failure.name), storable(failure.message)],
    );
  }

  /** Gives up on the delivery: status dead, with why and when. */
  async markDead(id: string, metadata: DeadLetterMetadata): Promise<boolean> {
    return this.updateLeased(
      id,
      `status = 'dead', finished_at = now(),
       leased_by = NULL, leased_until = NULL,
       first_failed_at = $4, last_failed_at = $5,
       last_error_name = $6, last_error_message = $7`,
      [
        metadata.firstFailedAt,
        metadata.lastFailedAt,
        storable(metadata.errorName),
        storable(metadata.errorMessage),
      ],
    );
  }

  /**
   * Extends the leases of `ids`, the deliveries still in flight. Only
   * those: a delivery this owner gave up on (its outcome could not be
   * written) must see its lease run out, or it would never come back
   * while other handlers keep the server busy.
   */
  async renewLeases(ids: readonly string[], leaseMs: number): Promise<number> {
    const result = await this.db.query(
      `UPDATE ${this.schema.deliveries}
       SET leased_until = now() + $3 * interval '1 millisecond'
       WHERE consumer_group = $1 AND leased_by = $2 AND status = 'pending'
         AND message_id = ANY($4::bigint[])`,
      [this.consumerGroup, this.owner, leaseMs, ids],
    );
    return result.rowCount ?? 0;
  }

  /**
   * Hands back every lease this owner holds, so other consumers take the
   * rows at once, and wakes them. Rows in `notStarted` never reached a
   * handler, so their attempt is not counted.
   */
  async releaseLeases(notStarted: readonly string[]): Promise<number> {
    const result = await this.db.query<{ released: number }>(
      `WITH released AS (
         UPDATE ${this.schema.deliveries}
         SET leased_by = NULL, leased_until = NULL,
             attempts = CASE WHEN message_id = ANY($3::bigint[])
                             THEN greatest(attempts - 1, 0)
                             ELSE attempts END
         WHERE consumer_group = $1 AND leased_by = $2
           AND status = 'pending'
         RETURNING 1
       )
       SELECT count(*)::int AS released,
              CASE WHEN count(*) > 0 THEN pg_notify($4, $1) END
       FROM released`,
      [this.consumerGroup, this.owner, notStarted, this.schema.channel],
    );
    return result.rows[0]?.released ?? 0;
  }

  private async updateLeased(
    id: string,
    assignments: string,
    values: unknown[],
  ): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE ${this.schema.deliveries}
       SET ${assignments}
       WHERE consumer_group = $1 AND message_id = $2
         AND leased_by = $3 AND status = 'pending'`,
      [this.consumerGroup, id, this.owner, ...values],
    );
    return (result.rowCount ?? 0) > 0;
  }
}

/**
 * Text columns refuse NUL, which an error can quote (a JSON parse error
 * about a binary body does), and error messages can be long.
 */
function storable(text: string): string {
  return text.replaceAll('\0', '\\0').slice(0, MAX_ERROR_MESSAGE_LENGTH);
}
