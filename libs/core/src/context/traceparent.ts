import { randomBytesFromPool } from '../random/random-pool.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Starts a new W3C trace: version 00, a random trace id and span id, sampled. */
export function newTraceparent(): string {
  return `00-${hex(16)}-${hex(8)}-01`;
}

/**
 * The traceparent of a message caused by one carrying `parent`: the same
 * trace id and flags with a fresh span id. An invalid parent starts a new trace.
 */
export function childTraceparent(parent: string | undefined): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  if (!match) {
    return newTraceparent();
  }
  return `00-${match[1]}-${hex(8)}-${match[3]}`;
}

export function traceIdOf(traceparent: string): string | undefined {
  return TRACEPARENT.exec(traceparent)?.[1];
}

function hex(bytes: number): string {
  return randomBytesFromPool(bytes).toString('hex');
}
