import { ReliableServer, type TransportHealth } from '@mq/core';
import type { Redis } from 'ioredis';
import { AckBatcher } from './ack-batcher.js';
import { ConsumerGroups } from './consumer-groups.js';
import { EntryDispatcher } from './entry-dispatcher.js';
import { errorMessage } from './error-message.js';
import type { KeyLayout } from './key-layout.js';
import { OutcomeWriter } from './outcome-writer.js';
import { PendingReclaimer } from './pending-reclaimer.js';
import { PeriodicTask } from './periodic-task.js';
import {
  clientName,
  closeConnection,
  connectWithin,
  createConnection,
  describe,
  watchConnection,
} from './redis-connection.js';
import type { RedisStreamsServerOptions } from './redis-streams.options.js';
import { ReadLoop } from './read-loop.js';
import { ReclaimRound } from './reclaim-round.js';
import { RetryMover } from './retry-mover.js';
import { releaseConsumerScript } from './scripts/release-consumer.script.js';
import {
  resolveServerSettings,
  type ServerSettings,
} from './server-settings.js';
import { StreamReader } from './stream-reader.js';

/** The two connections of a server, as `unwrap()` returns them. */
export interface RedisStreamsConnections {
  /** Runs XREADGROUP BLOCK, and the acks sent in front of a read. */
  readonly reader: Redis;
  /** Acks, retries, dead letters, reclaims, the retry mover. */
  readonly commands: Redis;
}

/**
 * Nest server strategy over Redis Streams: one stream per event pattern,
 * one consumer group per service, XREADGROUP BLOCK on its own connection,
 * XACK after success (batched, in front of the next read), delayed
 * retries through a sorted set, dead letters in `<stream>:dlq`, and
 * XAUTOCLAIM for entries of crashed consumers.
 *
 * ```ts
 * app.connectMicroservice(
 *   { strategy: new RedisStreamsServer({ consumerGroup: 'payment-service' }) },
 *   // In a hybrid app: lets ReliableMessagingModule's filter reach handlers.
 *   { inheritAppConfig: true },
 * );
 * ```
 */
export class RedisStreamsServer extends ReliableServer {
  readonly consumerName: string;
  /** Base of the client names; the kit's CLIENT KILL finds them by it. */
  readonly connectionName: string;
  private readonly settings: ServerSettings;
  private readonly keys: KeyLayout;
  private readonly reader: Redis;
  private readonly commands: Redis;
  private readonly streamReader: StreamReader;
  private readonly groups: ConsumerGroups;
  private readonly reclaimer: PendingReclaimer;
  private readonly acks: AckBatcher;
  private readonly dispatcher: EntryDispatcher;
  private readonly readLoop: ReadLoop;
  private readonly claimTask: PeriodicTask;
  private readonly moveTask: PeriodicTask;
  private streams: string[] = [];
  private running = false;

  constructor(options: RedisStreamsServerOptions) {
    super(options, RedisStreamsServer.name);
    const settings = resolveServerSettings(options);
    this.settings = settings;
    this.keys = settings.keys;
    this.consumerName = settings.consumerName;
    this.connectionName = settings.connectionName;

    this.reader = createConnection(
      options,
      clientName(this.connectionName, 'reader'),
      StreamReader.connectionOptions(settings.blockMs),
    );
    this.commands = createConnection(
      options,
      clientName(this.connectionName, 'commands'),
    );
    watchConnection(this.reader, 'reading', this.logger);
    watchConnection(this.commands, 'command', this.logger);
    this.streamReader = new StreamReader(
      this.reader,
      settings.blockMs,
      this.logger,
    );
    this.groups = new ConsumerGroups(
      this.commands,
      this.consumerGroup,
      settings.startFrom,
      this.logger,
    );
    this.reclaimer = new PendingReclaimer(
      this.commands,
      this.consumerGroup,
      this.consumerName,
      settings.visibilityTimeoutMs,
      this.logger,
    );
    this.acks = new AckBatcher(
      this.commands,
      this.consumerGroup,
      settings.visibilityTimeoutMs,
      this.logger,
      () => this.readLoop.isAboutToRead(),
    );
    this.dispatcher = new EntryDispatcher({
      group: this.consumerGroup,
      keys: this.keys,
      scheduler: this.scheduler,
      processor: this.processor,
      writer: new OutcomeWriter(
        this.commands,
        this.keys,
        this.consumerGroup,
        this.acks,
      ),
      maxAttempts: this.retryPolicy.maxAttempts,
      visibilityTimeoutMs: settings.visibilityTimeoutMs,
      logger: this.logger,
    });
    this.readLoop = new ReadLoop({
      group: this.consumerGroup,
      consumer: this.consumerName,
      concurrency: this.concurrency,
      visibilityTimeoutMs: settings.visibilityTimeoutMs,
      reader: this.streamReader,
      groups: this.groups,
      scheduler: this.scheduler,
      dispatcher: this.dispatcher,
      reclaimer: this.reclaimer,
      acks: this.acks,
      logger: this.logger,
    });
    const mover = new RetryMover(
      this.commands,
      this.keys,
      settings.retryMoveBatch,
      settings.trim,
    );
    const reclaim = new ReclaimRound({
      concurrency: this.concurrency,
      visibilityTimeoutMs: settings.visibilityTimeoutMs,
      scheduler: this.scheduler,
      reclaimer: this.reclaimer,
      dispatcher: this.dispatcher,
      groups: this.groups,
      logger: this.logger,
    });
    this.claimTask = new PeriodicTask(
      settings.claimIntervalMs,
      () => reclaim.run(this.streams, () => this.running),
      (error) => this.logTaskError('reclaiming pending entries', error),
    );
    this.moveTask = new PeriodicTask(
      settings.retryPollIntervalMs,
      async () => {
        await mover.moveDue();
      },
      (error) => this.logTaskError('moving due retries', error),
    );
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      async (error: unknown) => {
        // Do not leave connections retrying behind a failed start.
        await Promise.all([
          closeConnection(this.reader),
          closeConnection(this.commands),
        ]);
        callback(error);
      },
    );
  }

  /**
   * Graceful shutdown: stops reading (a blocked read is ended at once),
   * lets in-flight handlers finish and settle their entries within
   * `shutdownTimeoutMs`, then closes both connections. What did not finish
   * stays pending and is reclaimed by another consumer.
   */
  async close(): Promise<void> {
    const wasRunning = this.running;
    this.running = false;
    this.readLoop.stop();
    await Promise.all([this.claimTask.stop(), this.moveTask.stop()]);
    if (wasRunning) {
      await this.unblockReader();
      await this.readLoop.whenStopped();
      await this.drainInFlight();
      await this.settleAcks();
      await this.releaseConsumer();
    }
    await Promise.all([
      closeConnection(this.reader),
      closeConnection(this.commands),
    ]);
  }

  unwrap<T>(): T {
    const connections: RedisStreamsConnections = {
      reader: this.reader,
      commands: this.commands,
    };
    return connections as T;
  }

  health(): TransportHealth {
    const where = `redis ${describe(this.commands)}`;
    if (!this.running) {
      return { status: 'down', detail: `${where}: not listening` };
    }
    const reader = this.reader.status;
    const commands = this.commands.status;
    if (reader === 'ready' && commands === 'ready') {
      return {
        status: 'up',
        detail:
          `${where}, group ${this.consumerGroup}, ` +
          `consumer ${this.consumerName}`,
      };
    }
    return {
      status: 'down',
      detail: `${where}: reading connection ${reader}, commands ${commands}`,
    };
  }

  private async start(): Promise<void> {
    await Promise.all([
      connectWithin(this.reader, this.settings.connectTimeoutMs),
      connectWithin(this.commands, this.settings.connectTimeoutMs),
    ]);
    const patterns = this.eventPatterns();
    this.streams = patterns.map((pattern) => this.keys.stream(pattern));
    await this.groups.ensure(this.streams);
    patterns.forEach((pattern, i) => this.logBinding(pattern, this.streams[i]));
    for (const pattern of this.requestPatterns()) {
      this.logger.warn(
        `@MessagePattern('${pattern}') is not served: this transport ` +
          'carries events only',
      );
    }

    this.running = true;
    if (this.streams.length > 0) {
      this.readLoop.start(this.streams);
      this.claimTask.start();
    }
    this.moveTask.start();
  }

  /** Ends a blocked read at once instead of waiting out the block time. */
  private async unblockReader(): Promise<void> {
    if (this.commands.status !== 'ready') {
      this.reader.disconnect();
      return;
    }
    try {
      await this.streamReader.unblock(this.commands);
    } catch (error) {
      this.logger.warn(
        `could not unblock the reading connection (${errorMessage(error)}); ` +
          'dropping it instead',
      );
      this.reader.disconnect();
    }
  }

  /** Sends the acks still queued and waits for them, within a bound. */
  private async settleAcks(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.shutdownTimeoutMs);
    });
    const settled = this.acks.settle().then(() => true);
    const done = await Promise.race([settled, timedOut]);
    clearTimeout(timer);
    if (!done) {
      this.logger.warn(
        `acks still unanswered after ${this.shutdownTimeoutMs} ms; ` +
          'their entries stay pending and are delivered again',
      );
    }
  }

  /** Removes this consumer from its groups when it holds nothing pending. */
  private async releaseConsumer(): Promise<void> {
    if (this.commands.status !== 'ready') {
      return;
    }
    for (const stream of this.streams) {
      try {
        await releaseConsumerScript.run(
          this.commands,
          [stream],
          [this.consumerGroup, this.consumerName],
        );
      } catch (error) {
        this.logger.warn(
          `could not remove consumer ${this.consumerName} from ${stream}: ` +
            errorMessage(error),
        );
      }
    }
  }

  private logTaskError(what: string, error: unknown): void {
    this.logger.error(`${what} failed: ${errorMessage(error)}`);
  }
}
