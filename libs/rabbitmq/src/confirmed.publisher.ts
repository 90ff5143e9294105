import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, Message, Options } from 'amqplib';
import { PublishFailedError } from './errors/publish-failed.error.js';
import { UnroutableMessageError } from './errors/unroutable-message.error.js';
import type { RabbitMqConnection } from './rabbitmq.connection.js';

export interface ConfirmedPublisherOptions {
  /** Channel name for logs. */
  readonly name: string;
  /**
   * Longest wait for a confirm, counted from the call, so it includes the
   * time spent waiting for a reconnect.
   */
  readonly publishTimeoutMs: number;
  /** Runs on every new channel before anything is published on it. */
  readonly setup?: (channel: ConfirmChannel) => Promise<void>;
}

/** Returned messages not claimed by a publish are forgotten after this. */
const RETURN_MEMORY_MS = 5 * 60_000;

/**
 * Publishes on a confirm channel and settles only on the broker's word:
 * resolves on basic.ack, rejects on basic.nack, on a closed channel, on
 * timeout, and, for mandatory publishes, on basic.return. RabbitMQ sends
 * basic.return before the basic.ack of the same message on the same
 * channel, so a returned message is known by the time its confirm arrives.
 *
 * While the connection is down, amqp-connection-manager holds publishes and
 * sends them after the reconnect, or rejects them when the timeout passes.
 */
export class ConfirmedPublisher {
  private readonly wrapper: ChannelWrapper;
  private readonly returned = new Map<
    string,
    { count: number; replyText: string; at: number }
  >();

  constructor(
    connection: RabbitMqConnection,
    private readonly options: ConfirmedPublisherOptions,
  ) {
    this.wrapper = connection.createChannel({
      name: options.name,
      confirm: true,
      publishTimeout: options.publishTimeoutMs,
      setup: async (channel: ConfirmChannel) => {
        channel.on('return', (message: Message) => this.onReturn(message));
        channel.on('error', (error: Error) =>
          connection.recover(`${options.name}: ${error.message}`),
        );
        await options.setup?.(channel);
      },
    });
  }

  /** Resolves once a channel is set up; rejects when its setup fails. */
  ready(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`${this.options.name}: no channel within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const onError = (error: Error) => {
        finish();
        reject(error);
      };
      const finish = () => {
        clearTimeout(timer);
        this.wrapper.removeListener('error', onError);
      };
      this.wrapper.once('error', onError);
      this.wrapper.waitForConnect().then(
        () => {
          finish();
          resolve();
        },
        (error: unknown) => {
          finish();
          reject(error);
        },
      );
    });
  }

  async publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    properties: Options.Publish,
  ): Promise<void> {
    const id = properties.messageId;
    try {
      await this.wrapper.publish(exchange, routingKey, body, properties);
    } catch (error) {
      throw new PublishFailedError(
        exchange,
        routingKey,
        id,
        this.reasonOf(error),
        { cause: error },
      );
    }
    const returned =
      properties.mandatory && this.returned.size > 0
        ? this.takeReturn(returnToken(exchange, routingKey, id))
        : undefined;
    if (returned !== undefined) {
      throw new UnroutableMessageError(exchange, routingKey, id, returned);
    }
  }

  close(): Promise<void> {
    return this.wrapper.close();
  }

  private onReturn(message: Message): void {
    const { exchange, routingKey } = message.fields;
    const token = returnToken(
      exchange,
      routingKey,
      typeof message.properties.messageId === 'string'
        ? message.properties.messageId
        : undefined,
    );
    const now = Date.now();
    for (const [key, entry] of this.returned) {
      if (now - entry.at > RETURN_MEMORY_MS) {
        this.returned.delete(key);
      }
    }
    const text = (message.fields as { replyText?: unknown }).replyText;
    const replyText = typeof text === 'string' ? text : 'NO_ROUTE';
    const entry = this.returned.get(token);
    this.returned.set(token, {
      count: (entry?.count ?? 0) + 1,
      replyText,
      at: now,
    });
  }

  private takeReturn(token: string): string | undefined {
    const entry = this.returned.get(token);
    if (!entry) {
      return undefined;
    }
    if (entry.count > 1) {
      entry.count -= 1;
    } else {
      this.returned.delete(token);
    }
    return entry.replyText;
  }

  private reasonOf(error: unknown): string {
    const message = (error as Error)?.message ?? String(error);
    if (message === 'message nacked') {
      return 'the broker nacked it';
    }
    if (message === 'timeout') {
      return `no confirm within ${this.options.publishTimeoutMs} ms`;
    }
    if (/channel closed/i.test(message)) {
      return 'the channel closed before the broker confirmed it';
    }
    return message;
  }
}

function returnToken(
  exchange: string,
  routingKey: string,
  messageId: string | undefined,
): string {
  return `${exchange}\u0000${routingKey}\u0000${messageId ?? ''}`;
}
