import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { KeyLayout } from './key-layout.js';
import { clientName } from './redis-connection.js';
import { REDIS_STREAMS_DEFAULTS } from './redis-streams.constants.js';
import type {
  RedisStreamsServerOptions,
  StreamTrimOptions,
} from './redis-streams.options.js';
import { validateTrim } from './stream-trim.js';

/** The server's Redis-specific options with defaults applied and checked. */
export interface ServerSettings {
  readonly keys: KeyLayout;
  readonly consumerName: string;
  readonly connectionName: string;
  readonly blockMs: number;
  readonly visibilityTimeoutMs: number;
  readonly claimIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly retryPollIntervalMs: number;
  readonly retryMoveBatch: number;
  readonly startFrom: 'beginning' | 'end';
  readonly trim?: StreamTrimOptions;
}

/** Fills defaults and fails early, naming the option that is wrong. */
export function resolveServerSettings(
  options: RedisStreamsServerOptions,
): ServerSettings {
  const defaults = REDIS_STREAMS_DEFAULTS;
  const consumerName =
    options.consumerName ??
    `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const settings: ServerSettings = {
    keys: new KeyLayout(options.keyPrefix ?? defaults.keyPrefix),
    consumerName,
    connectionName:
      options.connectionName ??
      clientName('mq', options.consumerGroup, consumerName),
    blockMs: positive('blockMs', options.blockMs ?? defaults.blockMs),
    visibilityTimeoutMs: positive(
      'visibilityTimeoutMs',
      options.visibilityTimeoutMs ?? defaults.visibilityTimeoutMs,
    ),
    claimIntervalMs: positive(
      'claimIntervalMs',
      options.claimIntervalMs ?? defaults.claimIntervalMs,
    ),
    connectTimeoutMs: positive(
      'connectTimeoutMs',
      options.connectTimeoutMs ?? defaults.connectTimeoutMs,
    ),
    retryPollIntervalMs: positive(
      'retryPollIntervalMs',
      options.retryPollIntervalMs ?? defaults.retryPollIntervalMs,
    ),
    retryMoveBatch: positive(
      'retryMoveBatch',
      options.retryMoveBatch ?? defaults.retryMoveBatch,
    ),
    startFrom: options.startFrom ?? defaults.startFrom,
    trim: options.trim,
  };
  validateTrim(settings.trim);
  if (settings.claimIntervalMs >= settings.visibilityTimeoutMs) {
    throw new RangeError(
      `RedisStreamsServer: claimIntervalMs (${settings.claimIntervalMs}) ` +
        'must be below visibilityTimeoutMs ' +
        `(${settings.visibilityTimeoutMs}), or handlers that are still ` +
        'running lose their entries',
    );
  }
  return settings;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `RedisStreamsServer: ${name} must be an integer >= 1, got ${value}`,
    );
  }
  return value;
}
