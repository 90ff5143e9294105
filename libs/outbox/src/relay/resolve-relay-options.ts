import type { ClientConfig } from 'pg';
import {
  OUTBOX_RELAY_DEFAULTS,
  type OutboxRelayOptions,
} from './outbox-relay.options.js';

/** Relay options with every default applied and checked. */
export interface ResolvedRelayOptions {
  readonly enabled: boolean;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly retentionMs: number;
  readonly cleanupIntervalMs: number;
  readonly lockRetryMs: number;
  readonly publishTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly backoff: {
    readonly initialDelayMs: number;
    readonly multiplier: number;
    readonly maxDelayMs: number;
  };
  readonly channel?: string;
  readonly lockName?: string;
  readonly connection?: ClientConfig;
}

/** Applies the defaults; throws a TypeError naming the first bad option. */
export function resolveRelayOptions(
  options: OutboxRelayOptions = {},
): ResolvedRelayOptions {
  const defaults = OUTBOX_RELAY_DEFAULTS;
  const resolved: ResolvedRelayOptions = {
    enabled: options.enabled ?? defaults.enabled,
    batchSize: options.batchSize ?? defaults.batchSize,
    pollIntervalMs: options.pollIntervalMs ?? defaults.pollIntervalMs,
    retentionMs: options.retentionMs ?? defaults.retentionMs,
    cleanupIntervalMs: options.cleanupIntervalMs ?? defaults.cleanupIntervalMs,
    lockRetryMs: options.lockRetryMs ?? defaults.lockRetryMs,
    publishTimeoutMs: options.publishTimeoutMs ?? defaults.publishTimeoutMs,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? defaults.shutdownTimeoutMs,
    backoff: { ...defaults.backoff, ...options.backoff },
    channel: options.channel,
    lockName: options.lockName,
    connection: options.connection,
  };
  requireInteger('batchSize', resolved.batchSize, 1, 10_000);
  requireInteger('pollIntervalMs', resolved.pollIntervalMs, 1);
  requireInteger('retentionMs', resolved.retentionMs, 0);
  requireInteger('cleanupIntervalMs', resolved.cleanupIntervalMs, 1);
  requireInteger('lockRetryMs', resolved.lockRetryMs, 1);
  requireInteger('publishTimeoutMs', resolved.publishTimeoutMs, 0);
  requireInteger('shutdownTimeoutMs', resolved.shutdownTimeoutMs, 0);
  requireInteger('backoff.initialDelayMs', resolved.backoff.initialDelayMs, 0);
  requireInteger(
    'backoff.maxDelayMs',
    resolved.backoff.maxDelayMs,
    resolved.backoff.initialDelayMs,
  );
  if (!(resolved.backoff.multiplier >= 1)) {
    throw new TypeError(
      `OutboxRelay: backoff.multiplier must be at least 1, ` +
        `got ${resolved.backoff.multiplier}`,
    );
  }
  if (resolved.channel === '' || resolved.lockName === '') {
    throw new TypeError('OutboxRelay: channel and lockName must not be empty');
  }
  return resolved;
}

function requireInteger(
  name: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    throw new TypeError(
      `OutboxRelay: ${name} must be an integer ${range}, got ${value}`,
    );
  }
}
