import {
  HeaderNames,
  type DeadLetter,
  type DeadLetterListOptions,
  type DeadLetterStore,
} from '@mq/core';
import type { Queryable } from '../connection/queryable.js';
import { isUuid } from '../publish/queue-row.js';
import {
  QueueSchema,
  type QueueSchemaOptions,
} from '../schema/queue-schema.js';

interface DeadRow {
  id: string;
  type: string;
  key: string;
  headers: Record<string, unknown>;
  body: Buffer;
  attempts: number;
  first_failed_at: Date | null;
  last_failed_at: Date | null;
  last_error_name: string | null;
  last_error_message: string | null;
}

const DEFAULT_LIST_LIMIT = 50;

/** Columns reset by a redrive: the delivery starts over, due now. */
const REDRIVE_ASSIGNMENTS = `
  status = 'pending', attempts = 0, available_at = now(),
  leased_by = NULL, leased_until = NULL, finished_at = NULL,
  first_failed_at = NULL, last_failed_at = NULL,
  last_error_name = NULL, last_error_message = NULL`;

/**
 * One consumer group's dead letters: delivery rows with status `dead`.
 * A dead letter's id is its message id (a UUID). Redrive makes the row
 * pending again with a fresh attempt count and wakes the group's servers;
 * it never copies the message, so other groups are not affected.
 */
export class PostgresDeadLetterStore implements DeadLetterStore {
  private readonly schema: QueueSchema;

  constructor(
    private readonly db: Queryable,
    readonly consumerGroup: string,
    options: QueueSchemaOptions = {},
  ) {
    this.schema = new QueueSchema(options);
  }

  async list(options: DeadLetterListOptions = {}): Promise<DeadLetter[]> {
    const result = await this.db.query<DeadRow>(
      `${this.selectDead()}
         AND ($2::text IS NULL OR m.type = $2)
       ORDER BY d.finished_at, d.message_id
       LIMIT $3`,
      [
        this.consumerGroup,
        options.destination ?? null,
        options.limit ?? DEFAULT_LIST_LIMIT,
      ],
    );
    return result.rows.map((row) => this.toDeadLetter(row));
  }

  async count(): Promise<number> {
    const result = await this.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${this.schema.deliveries}
       WHERE consumer_group = $1 AND status = 'dead'`,
      [this.consumerGroup],
    );
    return result.rows[0].count;
  }

  async show(id: string): Promise<DeadLetter | undefined> {
    if (!isUuid(id)) {
      return undefined;
    }
    const result = await this.db.query<DeadRow>(
      `${this.selectDead()} AND m.message_id = $2::uuid`,
      [this.consumerGroup, id],
    );
    const row = result.rows[0];
    return row ? this.toDeadLetter(row) : undefined;
  }

  async redrive(id: string): Promise<boolean> {
    if (!isUuid(id)) {
      return false;
    }
    const count = await this.redriveWhere(
      `d.message_id = (SELECT id FROM ${this.schema.messages}
                       WHERE message_id = $3::uuid)`,
      [id],
    );
    return count > 0;
  }

  async redriveAll(): Promise<number> {
    return this.redriveWhere('true', []);
  }

  /**
   * Deletes the group's dead deliveries. Their messages stay while other
   * groups need them; the retention cleanup removes them afterwards.
   */
  async purge(): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM ${this.schema.deliveries}
       WHERE consumer_group = $1 AND status = 'dead'`,
      [this.consumerGroup],
    );
    return result.rowCount ?? 0;
  }

  private selectDead(): string {
    return `SELECT m.message_id::text AS id, m.type, m.key, m.headers,
                   m.body, d.attempts, d.first_failed_at, d.last_failed_at,
                   d.last_error_name, d.last_error_message
            FROM ${this.schema.deliveries} AS d
            JOIN ${this.schema.messages} AS m ON m.id = d.message_id
            WHERE d.consumer_group = $1 AND d.status = 'dead'`;
  }

  private async redriveWhere(
    condition: string,
    values: unknown[],
  ): Promise<number> {
    const result = await this.db.query<{ count: number }>(
      `WITH redriven AS (
         UPDATE ${this.schema.deliveries} AS d
         SET ${REDRIVE_ASSIGNMENTS}
         WHERE d.consumer_group = $1 AND d.status = 'dead' AND ${condition}
         RETURNING 1
       )
       SELECT count(*)::int AS count,
              CASE WHEN count(*) > 0 THEN pg_notify($2, $1) END
       FROM redriven`,
      [this.consumerGroup, this.schema.channel, ...values],
    );
    return result.rows[0].count;
  }

  private toDeadLetter(row: DeadRow): DeadLetter {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(row.headers)) {
      if (typeof value === 'string') {
        headers[name] = value;
      }
    }
    return {
      id: row.id,
      messageId: headers[HeaderNames.id],
      type: headers[HeaderNames.type] ?? row.type,
      key: headers[HeaderNames.key] ?? row.key,
      headers,
      body: row.body.toString('utf8'),
      metadata: {
        originalDestination: row.type,
        consumerGroup: this.consumerGroup,
        attempts: row.attempts,
        errorName: row.last_error_name ?? '',
        errorMessage: row.last_error_message ?? '',
        firstFailedAt: row.first_failed_at?.toISOString() ?? '',
        lastFailedAt: row.last_failed_at?.toISOString() ?? '',
      },
    };
  }
}
