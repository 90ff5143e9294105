import type { DeadLetterMetadata, FailureInfo } from '@mq/core';
import type { Queryable } from '../connection/queryable.js';
import { MAX_ERROR_MESSAGE_LENGTH } from '../postgres.constants.js';
import type { QueueSchema } from '../schema/queue-schema.js';
import { registerSubscriptions } from '../schema/register-subscriptions.js';
import type { ClaimSession } from './claim-session.js';
import type { ClaimedDelivery } from './claimed-delivery.js';
import { claimSql, markDoneSql } from './claim-sql.js';

/** What one claim tick did. */
export interface ClaimResult {
  readonly claimed: ClaimedDelivery[];
  /** Ids marked done; the others of the tick had lost their lease. */
  readonly done: Set<string>;
}

/** A claimed row, or (claimed false, only `id` set) an id marked done. */
interface ClaimRow {
  claimed: boolean;
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
    /** Pooled connections: retries, dead letters, leases. */
    private readonly db: Queryable,
    /** The claim loop's own session: claims and done writes. */
    private readonly session: ClaimSession,
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
   * One tick, on the claim session: marks `done` (handled deliveries)
   * done, then leases up to `limit` deliveries that are due, not leased
   * (or whose lease expired) and the earliest pending delivery of their
   * key in this group, and counts their attempt. `exclude` are deliveries
   * this server still owns (in flight, or in `done`): their lease may have
   * run out, but taking them again would run their handler a second time.
   * Returns the claimed rows and the ids marked done (an id of `done`
   * missing there had lost its lease).
   */
  async claim(
    limit: number,
    leaseMs: number,
    done: readonly string[],
    exclude: readonly string[],
  ): Promise<ClaimResult> {
    const result = await this.session.query<ClaimRow>({
      name: `mq_claim_${this.schema.name}`,
      text: claimSql(this.schema),
      values: [
        this.consumerGroup,
        this.owner,
        done,
        ...idRange(done),
        leaseMs,
        limit,
        exclude,
      ],
    });
    const claimed: ClaimedDelivery[] = [];
    const markedDone = new Set<string>();
    for (const row of result.rows) {
      if (!row.claimed) {
        markedDone.add(row.id);
        continue;
      }
      claimed.push({
        id: row.id,
        messageId: row.message_id,
        type: row.type,
        key: row.key,
        attempts: row.attempts,
        firstFailedAt: row.first_failed_at,
        headers: row.headers,
        body: row.body,
      });
    }
    return { claimed, done: markedDone };
  }

  /**
   * Marks handled deliveries done in one statement, on the claim session
   * (the last ones, at close). Returns the ids whose lease was still ours.
   */
  async markDone(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) {
      return new Set();
    }
    const result = await this.session.query<{ message_id: string }>({
      name: `mq_done_${this.schema.name}`,
      text: markDoneSql(this.schema),
      values: [this.consumerGroup, this.owner, ids, ...idRange(ids)],
    });
    return new Set(result.rows.map((row) => row.message_id));
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
      // Shaped as markDoneSql, for the same reason: see there.
      `UPDATE ${this.schema.deliveries}
       SET leased_until = now() + $3 * interval '1 millisecond'
       WHERE consumer_group = $1 AND leased_by = $2
         AND message_id BETWEEN $5 AND $6
         AND message_id = ANY($4::bigint[])`,
      [this.consumerGroup, this.owner, leaseMs, ids, ...idRange(ids)],
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

/** Smallest and largest of bigint ids given as text; nulls for none. */
function idRange(ids: readonly string[]): [string | null, string | null] {
  if (ids.length === 0) {
    return [null, null];
  }
  let low = BigInt(ids[0]);
  let high = low;
  for (const id of ids) {
    const value = BigInt(id);
    if (value < low) {
      low = value;
    } else if (value > high) {
      high = value;
    }
  }
  return [low.toString(), high.toString()];
}
