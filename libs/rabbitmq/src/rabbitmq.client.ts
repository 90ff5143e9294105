import { Logger } from '@nestjs/common';
import type { ReadPacket, WritePacket } from '@nestjs/microservices';
import {
  createEnvelope,
  DEFAULT_MAX_MESSAGE_BYTES,
  JsonCodec,
  newMessageId,
  OutgoingMessage,
  PublishesInFlight,
  ReliableClientProxy,
  toWireMessage,
  type Envelope,
  type TransportHealth,
  type WireMessage,
} from '@mq/core';
import type { ConsumeMessage } from 'amqplib';
import { envelopeProperties } from './amqp-message.js';
import { ConfirmedPublisher } from './confirmed.publisher.js';
import { RemoteHandlerError } from './errors/remote-handler.error.js';
import { PendingRequests } from './pending-requests.js';
import { DIRECT_REPLY_TO, RABBITMQ_DEFAULTS } from './rabbitmq.constants.js';
import {
  RabbitMqConnection,
  resolveConnectionOptions,
  type ResolvedConnectionOptions,
} from './rabbitmq.connection.js';
import type { RabbitMqClientOptions } from './rabbitmq-client.options.js';
import { isErrorReply, type RpcReply } from './rpc-reply.js';
import {
  declareEventsExchange,
  RabbitMqTopology,
} from './rabbitmq.topology.js';

/**
 * Nest client proxy for RabbitMQ. Events are published persistent and
 * mandatory to the topic exchange with the type as routing key, on a
 * confirm channel: `publishEnvelopes` resolves only after the broker
 * confirmed every message and rejects when one is nacked, returned
 * (unroutable), not confirmed in time, or too large (before sending).
 * `send()` is request-reply over direct reply-to.
 */
export class RabbitMqClient extends ReliableClientProxy {
  /** The broker-side name of this client's connection. */
  readonly connectionName: string;
  readonly topology: RabbitMqTopology;

  private readonly logger = new Logger(RabbitMqClient.name);
  private readonly connectionOptions: ResolvedConnectionOptions;
  private readonly maxMessageBytes: number;
  private readonly publishTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly mandatory: boolean;
  private readonly pending = new PendingRequests();
  private connection: RabbitMqConnection | undefined;
  private publisher: ConfirmedPublisher | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  /** Publishes between their call and their answer; close waits for them. */
  private readonly publishing = new PublishesInFlight();

  constructor(options: RabbitMqClientOptions) {
    super();
    this.connectionOptions = resolveConnectionOptions(options, 'client');
    this.connectionName = this.connectionOptions.connectionName;
    this.topology = new RabbitMqTopology(this.connectionOptions.prefix);
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.publishTimeoutMs =
      options.publishTimeoutMs ?? RABBITMQ_DEFAULTS.publishTimeoutMs;
    this.requestTimeoutMs =
      options.requestTimeoutMs ?? RABBITMQ_DEFAULTS.requestTimeoutMs;
    this.mandatory = options.mandatory ?? true;
    for (const name of [
      'maxMessageBytes',
      'publishTimeoutMs',
      'requestTimeoutMs',
    ] as const) {
      if (!(this[name] > 0)) {
        throw new RangeError(
          `RabbitMqClient: ${name} must be > 0, got ${this[name]}`,
        );
      }
    }
  }

  /** Connects once; later calls share the first attempt (or retry it). */
  connect(): Promise<void> {
    if (this.closed) {
      return Promise.reject(new Error('RabbitMqClient is closed'));
    }
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  /**
   * Fails the requests waiting for replies, lets the publishes already
   * called get their confirm (each is bounded by publishTimeoutMs), then
   * closes the channel and the connection.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.failAll('the client closed');
    await this.publishing.settled();
    try {
      await this.connecting;
    } catch (error) {
      // Nothing was opened, so there is nothing to close.
      this.logger.debug(`close after a failed connect: ${String(error)}`);
    }
    await this.publisher?.close();
    await this.connection?.close();
  }

  unwrap<T>(): T {
    if (!this.connection) {
      throw new Error('RabbitMqClient is not connected');
    }
    return this.connection.manager as T;
  }

  health(): TransportHealth {
    if (!this.connection?.connected) {
      return {
        status: 'down',
        detail: this.connection?.downReason ?? 'not connected',
      };
    }
    return { status: 'up', detail: `connected to ${this.connection.endpoint}` };
  }

  async publishEnvelopes(envelopes: readonly Envelope[]): Promise<void> {
    await this.publishing.track(this.publishAll(envelopes));
  }

  private async publishAll(envelopes: readonly Envelope[]): Promise<void> {
    // Encode all first: a message over the limit fails the call before any
    // of them is sent.
    const wires = envelopes.map((envelope) =>
      toWireMessage(envelope, this.maxMessageBytes),
    );
    const publisher =
      this.publisher && !this.closed
        ? this.publisher
        : await this.connectedPublisher();
    if (envelopes.length === 1) {
      // The common case (one emit): no settle-all bookkeeping.
      return this.publishOne(publisher, envelopes[0], wires[0]);
    }
    const results = await Promise.allSettled(
      envelopes.map((envelope, index) =>
        this.publishOne(publisher, envelope, wires[index]),
      ),
    );
    const failures = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    if (failures.length === 1) {
      throw failures[0];
    }
    if (failures.length > 1) {
      throw new AggregateError(
        failures,
        `${failures.length} of ${envelopes.length} messages were not ` +
          `confirmed; first: ${(failures[0] as Error).message}`,
      );
    }
  }

  protected override publish(
    packet: ReadPacket,
    callback: (packet: WritePacket) => void,
  ): () => void {
    const pattern = this.normalizePattern(packet.pattern);
    let envelope: Envelope;
    let wire: WireMessage;
    try {
      envelope = createEnvelope(pattern, ...requestArguments(packet.data));
      wire = toWireMessage(envelope, this.maxMessageBytes);
    } catch (error) {
      callback({ err: error, isDisposed: true });
      return () => undefined;
    }
    this.pending.add(envelope.id, pattern, callback, this.requestTimeoutMs);
    void this.sendRequest(pattern, envelope, wire);
    return () => this.pending.remove(envelope.id);
  }

  private publishOne(
    publisher: ConfirmedPublisher,
    envelope: Envelope,
    wire: WireMessage,
  ): Promise<void> {
    const properties = envelopeProperties(envelope, wire);
    properties.mandatory = this.mandatory;
    return publisher.publish(
      this.topology.eventsExchange,
      envelope.type,
      wire.body,
      properties,
    );
  }

  private async connectedPublisher(): Promise<ConfirmedPublisher> {
    await this.connect();
    return this.requirePublisher();
  }

  private async open(): Promise<void> {
    const connection = new RabbitMqConnection(
      this.connectionOptions,
      this.logger,
    );
    connection.manager.on('disconnect', () =>
      this.pending.failSent('the connection closed before the reply came'),
    );
    await connection.open();
    const publisher = new ConfirmedPublisher(connection, {
      name: 'client-publisher',
      publishTimeoutMs: this.publishTimeoutMs,
      setup: async (channel) => {
        await declareEventsExchange(channel, this.topology);
        // Direct reply-to: the consumer must exist on the channel that
        // publishes the requests, before the first one.
        await channel.consume(DIRECT_REPLY_TO, (msg) => this.onReply(msg), {
          noAck: true,
        });
      },
    });
    try {
      await publisher.ready(this.connectionOptions.connectTimeoutMs);
    } catch (error) {
      await publisher.close();
      await connection.close();
      throw error;
    }
    this.connection = connection;
    this.publisher = publisher;
  }

  private async sendRequest(
    pattern: string,
    envelope: Envelope,
    wire: WireMessage,
  ): Promise<void> {
    try {
      await this.requirePublisher().publish(
        '',
        this.topology.requestQueue(pattern),
        wire.body,
        {
          ...envelopeProperties(envelope, wire),
          persistent: false,
          correlationId: envelope.id,
          replyTo: DIRECT_REPLY_TO,
          // A request nobody picked up in time is dropped by the broker.
          expiration: String(this.requestTimeoutMs),
          mandatory: true,
        },
      );
      this.pending.markSent(envelope.id);
    } catch (error) {
      this.pending.fail(envelope.id, error);
    }
  }

  private onReply(msg: ConsumeMessage | null): void {
    if (!msg) {
      return;
    }
    const id = String(msg.properties.correlationId ?? '');
    const pattern = this.pending.patternOf(id);
    if (pattern === undefined) {
      this.logger.debug(`reply for unknown or settled request ${id}`);
      return;
    }
    let reply: RpcReply;
    try {
      reply = JsonCodec.decode(msg.content) as RpcReply;
    } catch (error) {
      this.pending.fail(id, error);
      return;
    }
    if (isErrorReply(reply)) {
      const { name, message, retriable } = reply.err;
      this.pending.fail(
        id,
        new RemoteHandlerError(pattern, name, message, retriable),
      );
      return;
    }
    this.pending.settle(id, { response: reply.response });
  }

  private requirePublisher(): ConfirmedPublisher {
    if (!this.publisher) {
      throw new Error('RabbitMqClient is not connected');
    }
    return this.publisher;
  }
}

/** Key, payload and headers of a request; the key is optional here. */
function requestArguments(
  data: unknown,
): [unknown, { key: string; headers?: Record<string, string> }] {
  if (data instanceof OutgoingMessage) {
    return [data.payload, { key: data.key, headers: data.headers }];
  }
  const key = (data as { key?: unknown } | null)?.key;
  return [
    data,
    { key: typeof key === 'string' && key.length > 0 ? key : newMessageId() },
  ];
}
