import { HeaderNames, type ProcessOutcome } from '@mq/core';
import type { StreamEntry } from './stream-entry.js';

/**
 * The outcome for an entry that was delivered more often than
 * `maxAttempts` without any outcome: its consumers crashed or hung each
 * time (a poison message that kills the process), so it is not run again.
 */
export function deliveryLimitOutcome(
  stream: string,
  group: string,
  entry: StreamEntry,
  attempt: number,
  maxAttempts: number,
): ProcessOutcome & { kind: 'dead-letter' } {
  const now = new Date().toISOString();
  const failure = {
    name: 'DeliveryLimitExceeded',
    message:
      `delivered ${attempt} times without an outcome (consumers crashed ` +
      `or timed out); maxAttempts is ${maxAttempts}`,
    retriable: false,
  };
  return {
    kind: 'dead-letter',
    failure,
    metadata: {
      originalDestination: stream,
      consumerGroup: group,
      attempts: attempt - 1,
      errorName: failure.name,
      errorMessage: failure.message,
      firstFailedAt: entry.headers[HeaderNames.firstFailedAt] ?? now,
      lastFailedAt: now,
    },
  };
}
