import { Logger } from '@nestjs/common';
import {
  HeaderNames,
  parseDeadLetterHeaders,
  withoutDeadLetterHeaders,
  type DeadLetter,
  type DeadLetterListOptions,
  type DeadLetterStore,
} from '@mq/core';
import type { Channel, GetMessage } from 'amqplib';
import { createHash } from 'node:crypto';
import {
  copyableHeaders,
  copyProperties,
  readHeaders,
} from './amqp-message.js';
import { ConfirmedPublisher } from './confirmed.publisher.js';
import {
  DEAD_LETTER_ENTRY_HEADER,
  NOT_FOUND,
  RABBITMQ_DEFAULTS,
} from './rabbitmq.constants.js';
import {
  RabbitMqConnection,
  resolveConnectionOptions,
  type ResolvedConnectionOptions,
} from './rabbitmq.connection.js';
import type { RabbitMqConnectionOptions } from './rabbitmq-connection.options.js';
import { RabbitMqTopology } from './rabbitmq.topology.js';

export interface RabbitMqDeadLetterStoreOptions extends RabbitMqConnectionOptions {
  /** The group whose `<prefix>.<group>.dlq` this store reads. Required. */
  consumerGroup: string;
  /**
   * Most messages one list, show or redrive reads from the head of the
   * DLQ; dead letters further back are not seen until earlier ones leave.
   * @default 1000
   */
  scanLimit?: number;
  /** Longest wait for the broker to confirm a redriven message, in ms. @default 10000 */
  publishTimeoutMs?: number;
}

/** A message taken from the DLQ and not yet settled. */
interface Taken {
  readonly message: GetMessage;
  readonly letter: DeadLetter;
}

/**
 * The dead-letter API over `<prefix>.<group>.dlq`. A queue cannot be read
 * without taking messages, so reads work like this: on a fresh channel,
 * basic.get (with manual ack) from the head, up to `scanLimit`; then close
 * the channel, which hands every unacked message back to the queue. On a
 * classic queue requeued messages keep their place, so the order is
 * stable and a crash of this process mid-read loses nothing (the broker
 * requeues on connection loss). Redrive republishes the chosen message to
 * its original queue with confirm, and only then acks it.
 *
 * Limits: while a read holds messages, other readers (a second list, a
 * redrive) do not see them; only the first `scanLimit` messages are
 * visible; requeueing marks messages redelivered, and on a quorum queue
 * counts as a delivery (a delivery limit could drop them), so the DLQ is
 * kept a classic queue; nothing must consume from the DLQ.
 */
export class RabbitMqDeadLetterStore implements DeadLetterStore {
  private readonly logger = new Logger(RabbitMqDeadLetterStore.name);
  private readonly connectionOptions: ResolvedConnectionOptions;
  private readonly queue: string;
  private readonly scanLimit: number;
  private readonly publishTimeoutMs: number;
  private connection: RabbitMqConnection | undefined;
  private publisher: ConfirmedPublisher | undefined;
  private opening: Promise<RabbitMqConnection> | undefined;

  constructor(options: RabbitMqDeadLetterStoreOptions) {
    if (!options.consumerGroup) {
      throw new TypeError('RabbitMqDeadLetterStore: consumerGroup is required');
    }
    const resolved = resolveConnectionOptions(options, 'dead-letters');
    this.connectionOptions = resolved;
    this.queue = new RabbitMqTopology(resolved.prefix).deadLetterQueue(
      options.consumerGroup,
    );
    this.scanLimit = options.scanLimit ?? RABBITMQ_DEFAULTS.deadLetterScanLimit;
    this.publishTimeoutMs =
      options.publishTimeoutMs ?? RABBITMQ_DEFAULTS.publishTimeoutMs;
  }

  async list(options: DeadLetterListOptions = {}): Promise<DeadLetter[]> {
    const limit = options.limit ?? 50;
    return this.withChannel([], async (channel) => {
      const letters: DeadLetter[] = [];
      for (const taken of await this.take(channel, this.scanLimit)) {
        const wanted =
          !options.destination ||
          taken.letter.metadata.originalDestination === options.destination;
        if (wanted && letters.length < limit) {
          letters.push(taken.letter);
        }
      }
      return letters;
    });
  }

  async count(): Promise<number> {
    return this.withChannel(
      0,
      async (channel) => (await channel.checkQueue(this.queue)).messageCount,
    );
  }

  async show(id: string): Promise<DeadLetter | undefined> {
    return this.withChannel(undefined, async (channel) => {
      const taken = await this.take(channel, this.scanLimit, id);
      return taken.find((entry) => entry.letter.id === id)?.letter;
    });
  }

  async redrive(id: string): Promise<boolean> {
    return this.withChannel(false, async (channel) => {
      const taken = await this.take(channel, this.scanLimit, id);
      const match = taken.find((entry) => entry.letter.id === id);
      if (!match) {
        return false;
      }
      await this.republish(match);
      channel.ack(match.message);
      return true;
    });
  }

  /**
   * Redrives as many messages as the DLQ held when the call began, one at a
   * time, so messages that fail again and come back are not looped over.
   */
  async redriveAll(): Promise<number> {
    return this.withChannel(0, async (channel) => {
      const { messageCount } = await channel.checkQueue(this.queue);
      let moved = 0;
      while (moved < messageCount) {
        const [taken] = await this.take(channel, 1);
        if (!taken) {
          break;
        }
        await this.republish(taken);
        channel.ack(taken.message);
        moved += 1;
      }
      return moved;
    });
  }

  async purge(): Promise<number> {
    return this.withChannel(
      0,
      async (channel) => (await channel.purgeQueue(this.queue)).messageCount,
    );
  }

  async close(): Promise<void> {
    await this.publisher?.close();
    await this.connection?.close();
  }

  /** Gets messages from the head; stops early once `untilId` was seen. */
  private async take(
    channel: Channel,
    max: number,
    untilId?: string,
  ): Promise<Taken[]> {
    const taken: Taken[] = [];
    while (taken.length < max) {
      const message = await channel.get(this.queue, { noAck: false });
      if (message === false) {
        break;
      }
      const letter = toDeadLetter(message);
      taken.push({ message, letter });
      if (untilId !== undefined && letter.id === untilId) {
        break;
      }
    }
    return taken;
  }

  private async republish({ message, letter }: Taken): Promise<void> {
    const destination = letter.metadata.originalDestination;
    if (!destination) {
      throw new Error(
        `dead letter ${letter.id} names no original destination; ` +
          'it cannot be redriven',
      );
    }
    const headers = copyableHeaders(withoutDeadLetterHeaders(letter.headers));
    delete headers[HeaderNames.attempt];
    delete headers[HeaderNames.firstFailedAt];
    await this.requirePublisher().publish('', destination, message.content, {
      ...copyProperties(message, headers),
      mandatory: true,
    });
  }

  /**
   * Runs `work` on a fresh channel and closes it afterwards: closing hands
   * back every message the work took and did not ack.
   */
  private async withChannel<T>(
    whenMissing: T,
    work: (channel: Channel) => Promise<T>,
  ): Promise<T> {
    const connection = await this.open();
    const channel = await connection.current.createChannel();
    let failure: Error | undefined;
    channel.on('error', (error: Error) => {
      failure = error;
    });
    try {
      return await work(channel);
    } catch (error) {
      if ((error as { code?: unknown }).code === NOT_FOUND) {
        // No DLQ yet: the group never started, so nothing was dead-lettered.
        return whenMissing;
      }
      throw failure ?? error;
    } finally {
      await channel.close().catch((error: unknown) => {
        // Already closed by the broker; its messages are requeued anyway.
        this.logger.debug(`channel close: ${(error as Error).message}`);
      });
    }
  }

  private open(): Promise<RabbitMqConnection> {
    this.opening ??= this.connect().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async connect(): Promise<RabbitMqConnection> {
    const connection = new RabbitMqConnection(
      this.connectionOptions,
      this.logger,
    );
    await connection.open();
    this.connection = connection;
    this.publisher = new ConfirmedPublisher(connection, {
      name: 'dead-letter-publisher',
      publishTimeoutMs: this.publishTimeoutMs,
    });
    return connection;
  }

  private requirePublisher(): ConfirmedPublisher {
    if (!this.publisher) {
      throw new Error('RabbitMqDeadLetterStore is not connected');
    }
    return this.publisher;
  }
}

function toDeadLetter(message: GetMessage): DeadLetter {
  const headers = readHeaders(message);
  const body = message.content.toString('utf8');
  const metadata = parseDeadLetterHeaders(headers) ?? {
    originalDestination: '',
    consumerGroup: '',
    attempts: 0,
    errorName: '',
    errorMessage: 'no dead-letter metadata in headers',
    firstFailedAt: '',
    lastFailedAt: '',
  };
  return {
    id:
      headers[DEAD_LETTER_ENTRY_HEADER] ??
      headers[HeaderNames.id] ??
      fingerprint(headers, body),
    messageId: headers[HeaderNames.id],
    type: headers[HeaderNames.type],
    key: headers[HeaderNames.key],
    headers,
    body,
    metadata,
  };
}

/** A handle for a foreign message with no id: stable while it is unchanged. */
function fingerprint(headers: Record<string, string>, body: string): string {
  const hash = createHash('sha256');
  const names = Object.keys(headers).sort((a, b) => a.localeCompare(b));
  hash.update(JSON.stringify(names.map((name) => [name, headers[name]])));
  hash.update(body);
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}
