import { POSTGRES_DEFAULTS } from './postgres.constants.js';
import type { PostgresServerOptions } from './postgres-server.options.js';

/** NOTIFY payloads are limited to 8000 bytes; group names travel in them. */
const MAX_GROUP_LENGTH = 256;

/** PostgresServer's own options with defaults applied and checked. */
export interface PostgresServerSettings {
  readonly pollIntervalMs: number;
  readonly leaseMs: number;
  readonly batchSize: number;
  readonly migrate: boolean;
  readonly retentionMs: number;
  readonly cleanupIntervalMs: number;
  readonly synchronousAcks: boolean;
}

/** Fails early, naming the option, on a value the server cannot use. */
export function resolveServerSettings(
  options: PostgresServerOptions,
  handlerTimeoutMs: number,
): PostgresServerSettings {
  if (options.consumerGroup.length > MAX_GROUP_LENGTH) {
    throw new RangeError(
      `PostgresServer: consumerGroup must be at most ${MAX_GROUP_LENGTH} ` +
        'characters',
    );
  }
  const leaseFloor = Math.max(POSTGRES_DEFAULTS.leaseMs, 2 * handlerTimeoutMs);
  const settings: PostgresServerSettings = {
    pollIntervalMs: options.pollIntervalMs ?? POSTGRES_DEFAULTS.pollIntervalMs,
    leaseMs: options.leaseMs ?? leaseFloor,
    batchSize: options.batchSize ?? POSTGRES_DEFAULTS.batchSize,
    migrate: options.migrate ?? true,
    retentionMs: options.retentionMs ?? POSTGRES_DEFAULTS.retentionMs,
    cleanupIntervalMs:
      options.cleanupIntervalMs ?? POSTGRES_DEFAULTS.cleanupIntervalMs,
    synchronousAcks:
      options.synchronousAcks ?? POSTGRES_DEFAULTS.synchronousAcks,
  };
  check('pollIntervalMs', settings.pollIntervalMs, 1);
  check('leaseMs', settings.leaseMs, 1);
  check('batchSize', settings.batchSize, 1, true);
  check('retentionMs', settings.retentionMs, 0);
  check('cleanupIntervalMs', settings.cleanupIntervalMs, 0);
  return settings;
}

function check(
  option: string,
  value: number,
  min: number,
  integer = false,
): void {
  const valid =
    Number.isFinite(value) &&
    value >= min &&
    (!integer || Number.isInteger(value));
  if (!valid) {
    const kind = integer ? 'an integer' : 'a number';
    throw new RangeError(
      `PostgresServer: ${option} must be ${kind} >= ${min}, got ${value}`,
    );
  }
}
