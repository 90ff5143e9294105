import { HeaderNames, type InboundDelivery } from '@mq/core';

/** A delivery row this server has leased, joined with its message. */
export interface ClaimedDelivery {
  /** messages.id: the publish order, and the row's handle. */
  readonly id: string;
  readonly messageId: string;
  readonly type: string;
  readonly key: string;
  /** Deliveries so far, this one included. */
  readonly attempts: number;
  readonly firstFailedAt: Date | null;
  readonly headers: Record<string, unknown>;
  readonly body: Buffer;
}

/**
 * What the message processor reads. The row's counters override whatever
 * the stored headers say: the attempt count and first failure time live in
 * the delivery row, per group, not in the message.
 */
export function toInboundDelivery(row: ClaimedDelivery): InboundDelivery {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(row.headers)) {
    if (value !== null && value !== undefined) {
      headers[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  delete headers[HeaderNames.firstFailedAt];
  headers[HeaderNames.attempt] = String(row.attempts);
  if (row.firstFailedAt) {
    headers[HeaderNames.firstFailedAt] = row.firstFailedAt.toISOString();
  }
  return {
    destination: row.type,
    headers,
    body: row.body,
    attempt: row.attempts,
    fallbackType: row.type,
  };
}

/** Publish order of two rows (ids are bigint text). */
export function byPublishOrder(a: ClaimedDelivery, b: ClaimedDelivery): number {
  const diff = BigInt(a.id) - BigInt(b.id);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}
