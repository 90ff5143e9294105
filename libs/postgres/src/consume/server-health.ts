import type { TransportHealth } from '@mq/core';

/** What PostgresServer's health is made of. */
export interface ServerHealthState {
  readonly state: string;
  readonly listening: boolean;
  readonly pollIntervalMs: number;
  /** The error of the last claim, while claiming fails. */
  readonly claimError?: Error;
  readonly schema: string;
  readonly consumerGroup: string;
}

/**
 * Down while the server is not listening, its LISTEN session is lost (it
 * only polls then) or claiming fails; up otherwise.
 */
export function serverHealth(current: ServerHealthState): TransportHealth {
  if (current.state !== 'listening') {
    return { status: 'down', detail: `server is ${current.state}` };
  }
  if (!current.listening) {
    const every = current.pollIntervalMs;
    return {
      status: 'down',
      detail: `LISTEN connection lost; polling every ${every} ms`,
    };
  }
  if (current.claimError) {
    return {
      status: 'down',
      detail: `claiming failed: ${current.claimError.message}`,
    };
  }
  return {
    status: 'up',
    detail: `schema ${current.schema}, group ${current.consumerGroup}`,
  };
}
