import {
  classifyError,
  MalformedMessageError,
  type ProcessOutcome,
} from '@mq/core';
import type { ClaimedDelivery } from './claimed-delivery.js';

/** Bytes of a row's headers: every name and value, in UTF-8. */
export function headerBytes(headers: Record<string, unknown>): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    total += Buffer.byteLength(name) + Buffer.byteLength(text ?? '');
  }
  return total;
}

/**
 * The dead-letter outcome of a delivery whose headers are over `limit`
 * bytes, or undefined when they fit. Such a message is not read at all: a
 * handler would pass its correlation id on to every message it
 * publishes, and those to theirs.
 */
export function oversizedHeadersOutcome(
  delivery: ClaimedDelivery,
  consumerGroup: string,
  limit: number,
): Extract<ProcessOutcome, { kind: 'dead-letter' }> | undefined {
  const bytes = headerBytes(delivery.headers);
  if (bytes <= limit) {
    return undefined;
  }
  const failure = classifyError(
    new MalformedMessageError(
      `headers of ${bytes} bytes exceed the limit of ${limit} bytes`,
    ),
  );
  const now = new Date().toISOString();
  return {
    kind: 'dead-letter',
    failure,
    metadata: {
      originalDestination: delivery.type,
      consumerGroup,
      attempts: delivery.attempts,
      errorName: failure.name,
      errorMessage: failure.message,
      firstFailedAt: delivery.firstFailedAt?.toISOString() ?? now,
      lastFailedAt: now,
    },
  };
}
