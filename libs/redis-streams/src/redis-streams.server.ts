import {
  HeaderNames,
  ReliableServer,
  type ProcessOutcome,
  type TransportHealth,
} from '@mq/core';
import type { Redis } from 'ioredis';
import { ConsumerGroups } from './consumer-groups.js';
import { deliveryLimitOutcome } from './delivery-limit.js';
import { errorMessage, isNoGroup } from './error-message.js';
import { InFlightEntries } from './in-flight-entries.js';
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
import { MAX_READ_BACKOFF_MS } from './redis-streams.constants.js';
import type { RedisStreamsServerOptions } from './redis-streams.options.js';
import { RetryMover } from './retry-mover.js';
import { releaseConsumerScript } from './scripts/release-consumer.script.js';
import {
  resolveServerSettings,
  type ServerSettings,
} from './server-settings.js';
import { headerAttempt, type StreamEntry } from './stream-entry.js';
import { StreamReader, type StreamBatch } from './stream-reader.js';

/** The two connections of a server, as `unwrap()` returns them. */
export interface RedisStreamsConnections {
  /** Runs only XREADGROUP BLOCK. */
  readonly reader: Redis;
  /** Acks, retries, dead letters, reclaims, the retry mover. */
  readonly commands: Redis;
}

/**
 * Nest server strategy over Redis Streams: one stream per event pattern,
 * one consumer group per service, XREADGROUP BLOCK on its own connection,
 * XACK after success, delayed retries through a sorted set, dead letters in
 * `<stream>:dlq`, and XAUTOCLAIM for entries of crashed consumers.
 *
 * ```ts
 * app.connectMicroservice({
 *   strategy: new RedisStreamsServer({ consumerGroup: 'payment-service' }),
 * });
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
  private readonly writer: OutcomeWriter;
  private readonly reclaimer: PendingReclaimer;
  private readonly claimTask: PeriodicTask;
  private readonly moveTask: PeriodicTask;
  private readonly local = new InFlightEntries();
  private streams: string[] = [];
  private running = false;
  private readLoopDone: Promise<void> = Promise.resolve();
  private stopSignal: Promise<void> = Promise.resolve();
  private signalStop: () => void = () => undefined;
  private readFailures = 0;

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
    this.writer = new OutcomeWriter(
      this.commands,
      this.keys,
      this.consumerGroup,
    );
    this.reclaimer = new PendingReclaimer(
      this.commands,
      this.consumerGroup,
      this.consumerName,
      settings.visibilityTimeoutMs,
      this.logger,
    );
    const mover = new RetryMover(
      this.commands,
      this.keys,
      settings.retryMoveBatch,
      settings.trim,
    );
    this.claimTask = new PeriodicTask(
      settings.claimIntervalMs,
      () => this.reclaim(),
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
    this.signalStop();
    await Promise.all([this.claimTask.stop(), this.moveTask.stop()]);
    if (wasRunning) {
      await this.unblockReader();
      await this.readLoopDone;
      await this.drainInFlight();
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
    this.stopSignal = new Promise((resolve) => {
      this.signalStop = resolve;
    });
    if (this.streams.length > 0) {
      this.readLoopDone = this.readLoop();
      this.claimTask.start();
    }
    this.moveTask.start();
  }

  private async readLoop(): Promise<void> {
    while (this.running) {
      await Promise.race([
        this.scheduler.whenBelow(this.concurrency),
        this.stopSignal,
      ]);
      if (!this.running) {
        return;
      }
      const { streams, count } = this.readPlan();
      try {
        const batches = await this.streamReader.read(
          this.consumerGroup,
          this.consumerName,
          streams,
          count,
        );
        this.readFailures = 0;
        if (!this.running) {
          // Read while close() began: leave them to the other consumers.
          await this.release(batches);
          return;
        }
        for (const { stream, entries } of batches) {
          for (const entry of entries) {
            this.groups.noteSeen(stream, entry.id);
            this.dispatch(stream, entry, 1);
          }
        }
      } catch (error) {
        await this.afterReadFailure(error);
      }
    }
  }

  /**
   * Backpressure: read about as many entries as there are free slots. Every
   * read names every stream: reading a rotating subset let a quiet stream's
   * BLOCK hold up busy ones for the whole block time. COUNT applies per
   * stream, so with fewer free slots than streams one read may take up to
   * `streams - 1` entries more than the free slots; they wait in the
   * scheduler, and the concurrency limit still holds.
   */
  private readPlan(): { streams: string[]; count: number } {
    const free = Math.max(1, this.concurrency - this.scheduler.pending);
    const all = this.streams;
    return { streams: all, count: Math.max(1, Math.floor(free / all.length)) };
  }

  private async afterReadFailure(error: unknown): Promise<void> {
    if (!this.running) {
      return;
    }
    let failure = error;
    if (isNoGroup(error)) {
      try {
        await this.groups.recover(this.streams);
        return;
      } catch (recoveryError) {
        failure = recoveryError;
      }
    }
    this.readFailures += 1;
    const delay = Math.min(
      MAX_READ_BACKOFF_MS,
      100 * 2 ** (this.readFailures - 1),
    );
    this.logger.error(
      `reading for group ${this.consumerGroup} failed ` +
        `(${this.readFailures} in a row), next try in ${delay} ms: ` +
        errorMessage(failure),
    );
    await Promise.race([sleep(delay), this.stopSignal]);
  }

  /** Hands an entry to the scheduler; `deliveries` counts this one. */
  private dispatch(
    stream: string,
    entry: StreamEntry,
    deliveries: number,
  ): void {
    if (
      entry.targetGroup !== undefined &&
      entry.targetGroup !== this.consumerGroup
    ) {
      // A retry or redrive meant for another group: not ours to handle.
      void this.writer
        .ack(stream, [entry.id])
        .catch((error: unknown) =>
          this.logger.warn(
            `could not ack entry ${entry.id} of ${stream} meant for group ` +
              `${entry.targetGroup}; it is skipped again later: ` +
              errorMessage(error),
          ),
        );
      return;
    }
    this.local.add(stream, entry.id);
    const key = entry.headers[HeaderNames.key] || entry.id;
    void this.scheduler
      .schedule(key, () => this.handle(stream, entry, deliveries))
      .catch((error: unknown) =>
        this.logger.error(
          `entry ${entry.id} of ${stream} failed outside its handler: ` +
            `${errorMessage(error)}; it stays pending`,
        ),
      )
      .finally(() => this.local.delete(stream, entry.id));
  }

  private async handle(
    stream: string,
    entry: StreamEntry,
    deliveries: number,
  ): Promise<void> {
    const attempt = headerAttempt(entry) + deliveries - 1;
    const id = entry.headers[HeaderNames.id] ?? '?';
    try {
      // Redelivered past the limit without ever failing: a crash loop.
      const outcome =
        deliveries > 1 && attempt > this.retryPolicy.maxAttempts
          ? this.crashLoopOutcome(stream, entry, attempt)
          : await this.processor.process({
              destination: stream,
              headers: entry.headers,
              body: entry.body,
              attempt,
              fallbackType: this.keys.patternOf(stream),
            });
      await this.writer.settle(stream, entry, outcome);
    } catch (error) {
      this.logger.error(
        `could not settle id=${id} (entry ${entry.id} of ${stream}, ` +
          `attempt ${attempt}): ${errorMessage(error)}; it stays ` +
          `pending and is reclaimed after ${this.settings.visibilityTimeoutMs} ms`,
      );
    }
  }

  private crashLoopOutcome(
    stream: string,
    entry: StreamEntry,
    attempt: number,
  ): ProcessOutcome {
    const outcome = deliveryLimitOutcome(
      stream,
      this.consumerGroup,
      entry,
      attempt,
      this.retryPolicy.maxAttempts,
    );
    this.logger.warn(
      `dead-lettering id=${entry.headers[HeaderNames.id] ?? '?'} from ` +
        `${stream}: ${outcome.failure.message}`,
    );
    return outcome;
  }

  /**
   * Every claim interval: keep the entries handled here alive (a slow
   * handler must not lose them), then take over idle ones of others.
   */
  private async reclaim(): Promise<void> {
    for (const [stream, ids] of this.local.streams()) {
      try {
        await this.reclaimer.extend(stream, ids);
      } catch (error) {
        // A lost group is recovered by the read loop; say nothing twice.
        if (!isNoGroup(error)) {
          throw error;
        }
      }
    }
    for (const stream of this.streams) {
      const free = this.concurrency - this.scheduler.pending;
      if (!this.running || free <= 0) {
        return;
      }
      try {
        const claimed = await this.reclaimer.claim(stream, free, (id) =>
          this.local.has(stream, id),
        );
        if (claimed.length > 0) {
          this.logger.log(
            `reclaimed ${claimed.length} entries of ${stream} idle for ` +
              `${this.settings.visibilityTimeoutMs} ms or more`,
          );
        }
        for (const { entry, deliveries } of claimed) {
          this.dispatch(stream, entry, deliveries);
        }
      } catch (error) {
        if (!isNoGroup(error)) {
          throw error;
        }
        await this.groups.recover([stream]);
      }
    }
  }

  private async release(batches: readonly StreamBatch[]): Promise<void> {
    for (const { stream, entries } of batches) {
      const ids = entries.map((entry) => entry.id);
      try {
        await this.reclaimer.release(stream, ids);
      } catch (error) {
        this.logger.warn(
          `could not release ${ids.length} entries of ${stream} read during ` +
            'shutdown; they are reclaimed after ' +
            `${this.settings.visibilityTimeoutMs} ` +
            `ms: ${errorMessage(error)}`,
        );
      }
    }
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
