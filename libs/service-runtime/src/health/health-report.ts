import type { TransportHealth } from '@mq/core';

/** The answer of `GET /health`. */
export interface HealthReport {
  /** `down` as soon as one check is down; the answer is then a 503. */
  readonly status: 'up' | 'down';
  readonly service: string;
  readonly transport: string;
  /** database, server, client and outbox, each up or down with a detail. */
  readonly checks: Readonly<Record<string, TransportHealth>>;
}
