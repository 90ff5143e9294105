import type { OutboxRelayOptions } from '@mq/outbox';

/**
 * Longest wait of the services' relay between two tries after a failure,
 * in ms: the reconnect cap of the transports' own consumers. The relay's
 * default (30 s) left a service unhealthy, and its outbox unpublished,
 * for up to 30 s after a database that was down for a minute came back.
 */
export const SERVICE_RELAY_MAX_BACKOFF_MS = 5000;

/** The relay settings every service runs with. */
export function serviceRelayOptions(): OutboxRelayOptions {
  return { backoff: { maxDelayMs: SERVICE_RELAY_MAX_BACKOFF_MS } };
}
