import { JsonCodec, type Envelope } from '@mq/core';

/** A pending row as the relay selects it. */
export interface OutboxRow {
  /** bigint: a string, or a number when pg's parseInt8 is on. */
  readonly id: string | number;
  readonly message_id: string;
  readonly type: string;
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly payload: string;
  readonly occurred_at: Date;
}

export const OUTBOX_ROW_COLUMNS =
  '"id", "message_id", "type", "key", "headers", "payload", "occurred_at"';

/** The envelope a row was written from; the payload goes through JsonCodec. */
export function toEnvelope(row: OutboxRow): Envelope {
  return {
    id: row.message_id,
    type: row.type,
    key: row.key,
    payload: JsonCodec.decode(row.payload),
    occurredAt: row.occurred_at.toISOString(),
    headers: row.headers,
  };
}

/** Row ids for a log line: all of them when few, else the range. */
export function describeIds(rows: readonly OutboxRow[]): string {
  if (rows.length <= 10) {
    return rows.map((row) => String(row.id)).join(', ');
  }
  const first = String(rows[0].id);
  const last = String(rows[rows.length - 1].id);
  return `${first} .. ${last} (${rows.length} rows)`;
}
