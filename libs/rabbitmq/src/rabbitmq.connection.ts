import type { Logger } from '@nestjs/common';
import {
  AmqpConnectionManagerClass,
  type AmqpConnectionManager,
  type ChannelWrapper,
  type CreateChannelOpts,
} from 'amqp-connection-manager';
import type { ChannelModel } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { RABBITMQ_DEFAULTS } from './rabbitmq.constants.js';
import type { RabbitMqConnectionOptions } from './rabbitmq-connection.options.js';

export type ResolvedConnectionOptions = Required<RabbitMqConnectionOptions>;

/** Fills connection defaults and checks them; `role` names the connection. */
export function resolveConnectionOptions(
  options: RabbitMqConnectionOptions,
  role: string,
): ResolvedConnectionOptions {
  if (!options.url) {
    throw new TypeError(`RabbitMQ ${role}: url is required`);
  }
  const prefix = options.prefix ?? RABBITMQ_DEFAULTS.prefix;
  if (!prefix) {
    throw new TypeError(`RabbitMQ ${role}: prefix must not be empty`);
  }
  const resolved = {
    url: options.url,
    prefix,
    connectionName:
      options.connectionName ??
      `${prefix}.${role}.${process.pid}.${randomBytes(3).toString('hex')}`,
    heartbeatSeconds:
      options.heartbeatSeconds ?? RABBITMQ_DEFAULTS.heartbeatSeconds,
    reconnectDelayMs:
      options.reconnectDelayMs ?? RABBITMQ_DEFAULTS.reconnectDelayMs,
    connectTimeoutMs:
      options.connectTimeoutMs ?? RABBITMQ_DEFAULTS.connectTimeoutMs,
  };
  for (const name of [
    'heartbeatSeconds',
    'reconnectDelayMs',
    'connectTimeoutMs',
  ] as const) {
    if (!(resolved[name] > 0)) {
      throw new RangeError(
        `RabbitMQ ${role}: ${name} must be > 0, got ${resolved[name]}`,
      );
    }
  }
  return resolved;
}

/** `host:port/vhost` of an AMQP URL, without credentials, for logs. */
export function describeEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    const vhost = decodeURIComponent(parsed.pathname.slice(1)) || '/';
    return `${parsed.hostname}:${parsed.port || '5672'} vhost ${vhost}`;
  } catch {
    // A URL Node cannot parse is still printed without its secrets.
    return '(unparsable AMQP URL)';
  }
}

/**
 * One auto-reconnecting AMQP connection (amqp-connection-manager) with
 * logging and a way out of a dead channel: amqp-connection-manager only
 * rebuilds channels when the connection drops, so a channel the broker
 * closed on its own (a 404, a 406) is recovered by reconnecting.
 */
export class RabbitMqConnection {
  readonly manager: AmqpConnectionManager;
  readonly endpoint: string;
  private recovery: NodeJS.Timeout | undefined;
  private closed = false;
  private lastError: string | undefined;

  constructor(
    readonly options: ResolvedConnectionOptions,
    private readonly logger: Logger,
  ) {
    this.endpoint = describeEndpoint(options.url);
    this.manager = new AmqpConnectionManagerClass([options.url], {
      heartbeatIntervalInSeconds: options.heartbeatSeconds,
      reconnectTimeInSeconds: options.reconnectDelayMs / 1000,
      connectionOptions: {
        clientProperties: { connection_name: options.connectionName },
      },
    });
    this.manager.on('connect', () => {
      this.lastError = undefined;
      this.logger.log(
        `connected to ${this.endpoint} as ${options.connectionName}`,
      );
    });
    this.manager.on('disconnect', ({ err }) => {
      this.lastError = err?.message ?? 'connection closed';
      if (!this.closed) {
        this.logger.error(
          `lost connection to ${this.endpoint}: ${this.lastError}; ` +
            `reconnecting every ${options.reconnectDelayMs} ms`,
        );
      }
    });
    this.manager.on('connectFailed', ({ err }) => {
      this.lastError = err.message;
      this.logger.warn(
        `cannot connect to ${this.endpoint}: ${err.message}; retrying`,
      );
    });
    this.manager.on('blocked', ({ reason }) => {
      this.logger.warn(`broker blocked the connection: ${reason}`);
    });
  }

  get connected(): boolean {
    return !this.closed && this.manager.isConnected();
  }

  /** Why the connection is down, when it is. */
  get downReason(): string {
    if (this.closed) {
      return 'closed';
    }
    return `not connected to ${this.endpoint}: ${this.lastError ?? 'connecting'}`;
  }

  /** The current amqplib connection, for short-lived raw channels. */
  get current(): ChannelModel {
    const connection = this.manager.connection;
    if (!connection || this.closed) {
      throw new Error(`not connected to ${this.endpoint}`);
    }
    return connection;
  }

  /** Waits for the first connection, at most `connectTimeoutMs`. */
  async open(): Promise<void> {
    try {
      await this.manager.connect({ timeout: this.options.connectTimeoutMs });
    } catch (error) {
      await this.close();
      throw new Error(
        `could not connect to ${this.endpoint} within ` +
          `${this.options.connectTimeoutMs} ms: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  createChannel(options: CreateChannelOpts): ChannelWrapper {
    const channel = this.manager.createChannel(options);
    channel.on('error', (error: Error) => {
      this.logger.error(
        `channel ${options.name ?? ''} setup failed: ${error.message}`,
      );
    });
    return channel;
  }

  /**
   * Replaces the connection after a channel died while the connection
   * stayed up; debounced, and delayed by `reconnectDelayMs` so a broker
   * that keeps refusing does not cause a busy loop.
   */
  recover(reason: string): void {
    if (this.closed || this.recovery) {
      return;
    }
    this.logger.error(`channel closed by the broker (${reason}); reconnecting`);
    this.recovery = setTimeout(() => {
      this.recovery = undefined;
      if (!this.closed && this.manager.isConnected()) {
        this.manager.reconnect();
      }
    }, this.options.reconnectDelayMs);
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearTimeout(this.recovery);
    await this.manager.close();
  }
}
