import {
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  RetryPolicy,
  type Envelope,
  type EnvelopePublisher,
  type HealthReporter,
  type TransportHealth,
} from '@mq/core';
import type { ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { defaultNotifyChannel } from '../schema/notify-channel.js';
import { outboxTables } from '../schema/outbox-tables.js';
import type {
  OutboxRelayState,
  OutboxRelayStats,
} from './outbox-relay-stats.js';
import type { OutboxRelayOptions } from './outbox-relay.options.js';
import {
  CLEANUP_CHUNK,
  relayStatements,
  type RelayStatements,
} from './outbox-relay.sql.js';
import { describeIds, toEnvelope, type OutboxRow } from './outbox-row.js';
import { relayConnectionConfig } from './relay-connection-config.js';
import { RelaySession } from './relay-session.js';
import {
  resolveRelayOptions,
  type ResolvedRelayOptions,
} from './resolve-relay-options.js';
import { sleep, Wakeup } from './wakeup.js';

/** `last_error` keeps the start of long messages only. */
const MAX_ERROR_LENGTH = 2000;

/** What `start` works out from the DataSource. */
interface Target {
  readonly sql: RelayStatements;
  readonly channel: string;
  readonly lockName: string;
  readonly connection: ClientConfig;
  readonly description: string;
}

/**
 * Publishes committed outbox rows through an EnvelopePublisher, in id
 * order, a batch at a time, and marks a batch only after the publisher
 * resolved. Of several instances one is active: the one holding a
 * session-level advisory lock on its own connection. The others retry the
 * lock and take over when the holder stops or dies.
 *
 * Delivery is at least once: a crash between publish and mark publishes
 * the batch again, so consumers deduplicate (InboxService).
 */
export class OutboxRelay
  implements HealthReporter, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly options: ResolvedRelayOptions;
  private readonly backoff: RetryPolicy;
  private readonly wakeup = new Wakeup();
  private state: OutboxRelayState;
  private target?: Target;
  private loop?: Promise<void>;
  private stopping?: AbortController;
  private session?: RelaySession;

  private publishedTotal = 0;
  private failures = 0;
  private consecutiveFailures = 0;
  private lastError?: string;
  private lastErrorAt?: Date;
  private lastPublishedAt?: Date;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EnvelopePublisher | undefined,
    options: OutboxRelayOptions = {},
  ) {
    this.options = resolveRelayOptions(options);
    if (this.options.enabled && !publisher) {
      throw new TypeError(
        'OutboxRelay: a publisher is required unless enabled is false',
      );
    }
    this.backoff = new RetryPolicy({
      ...this.options.backoff,
      maxAttempts: 1,
      jitter: 0,
    });
    this.state = this.options.enabled ? 'stopped' : 'disabled';
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /**
   * Starts relaying in the background; returns at once. Needs an
   * initialized DataSource with the outbox entities. A no-op when disabled
   * or already started.
   */
  start(): void {
    if (!this.options.enabled) {
      this.logger.log('Outbox relay disabled');
      return;
    }
    if (this.loop) {
      return;
    }
    this.target ??= this.resolveTarget();
    const stopping = new AbortController();
    this.stopping = stopping;
    this.state = 'connecting';
    this.loop = this.run(this.target, stopping.signal);
  }

  /**
   * Stops gracefully: the batch in flight is published and marked, the
   * lock released and the connection closed. Waits at most
   * `shutdownTimeoutMs`; past it the connection is closed anyway and that
   * batch is published again later.
   */
  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) {
      return;
    }
    this.stopping?.abort();
    const finished = await settlesWithin(loop, this.options.shutdownTimeoutMs);
    if (!finished) {
      this.logger.warn(
        `Batch in flight did not finish within ` +
          `${this.options.shutdownTimeoutMs} ms; closing the relay ` +
          'connection, its rows will be published again',
      );
      const failure = await this.session?.close();
      if (failure) {
        this.logger.warn(
          `Closing the relay connection failed: ${message(failure)}`,
        );
      }
    }
    this.loop = undefined;
    this.session = undefined;
    this.state = 'stopped';
  }

  /** Counters since this instance was created. */
  stats(): OutboxRelayStats {
    return {
      state: this.state,
      publishedTotal: this.publishedTotal,
      failures: this.failures,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      lastPublishedAt: this.lastPublishedAt,
    };
  }

  /**
   * Up when disabled, on standby, or active with the last try successful;
   * down when stopped, without a connection, or while publishing fails.
   */
  health(): TransportHealth {
    const failing =
      this.consecutiveFailures > 0
        ? `; failing (${this.consecutiveFailures} in a row): ${this.lastError}`
        : '';
    switch (this.state) {
      case 'disabled':
        return { status: 'up', detail: 'relay disabled' };
      case 'stopped':
        return { status: 'down', detail: 'relay stopped' };
      case 'connecting':
        return { status: 'down', detail: `connecting${failing}` };
      case 'standby':
        return {
          status: 'up',
          detail: 'standby: another instance holds the relay lock',
        };
      default:
        return failing
          ? { status: 'down', detail: `active${failing}` }
          : { status: 'up', detail: 'active' };
    }
  }

  private resolveTarget(): Target {
    if (!this.dataSource.isInitialized) {
      throw new Error(
        'OutboxRelay: initialize the DataSource before starting the relay',
      );
    }
    const tables = outboxTables(this.dataSource);
    const schema = tables.schema ?? 'public';
    return {
      sql: relayStatements(tables.outbox),
      channel: this.options.channel ?? defaultNotifyChannel(tables.schema),
      lockName: this.options.lockName ?? `mq-outbox:${schema}.outbox_messages`,
      connection: relayConnectionConfig(
        this.dataSource,
        this.options.connection,
      ),
      description: tables.outbox,
    };
  }

  /** One session after another until stopped; never rejects. */
  private async run(target: Target, stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      const session = new RelaySession(target.connection, target.channel, () =>
        this.wakeup.notify(),
      );
      this.session = session;
      let failed = false;
      try {
        this.state = 'connecting';
        await session.connect();
        if (await this.acquireLock(session, target, stop)) {
          await session.listen();
          this.state = 'active';
          this.logger.log(
            `Active: relaying ${target.description} ` +
              `(LISTEN ${target.channel})`,
          );
          await this.relayWhileActive(session, target, stop);
        }
      } catch (error) {
        if (stop.aborted) {
          this.logger.warn(
            `Relay session ended with an error while stopping: ` +
              message(error),
          );
        } else {
          failed = true;
          this.recordFailure(error);
          this.logger.error(
            `Relay session for ${target.description} failed; reconnecting ` +
              `in ${this.delay()} ms: ${message(error)}`,
          );
        }
      } finally {
        const failure = await session.close();
        if (failure && !failed) {
          this.logger.warn(
            `Closing the relay connection failed: ${message(failure)}`,
          );
        }
      }
      if (failed) {
        await sleep(this.delay(), stop);
      }
    }
    this.state = 'stopped';
  }

  /** True once the lock is held; false when stopped while waiting. */
  private async acquireLock(
    session: RelaySession,
    target: Target,
    stop: AbortSignal,
  ): Promise<boolean> {
    const signal = AbortSignal.any([stop, session.signal]);
    let announced = false;
    while (!signal.aborted) {
      if (await session.tryLock(target.lockName)) {
        return true;
      }
      // Reaching the database and finding a live holder is a healthy
      // state for a standby.
      this.consecutiveFailures = 0;
      if (!announced) {
        this.state = 'standby';
        this.logger.log(
          `Standby: another instance holds ${target.lockName}; retrying ` +
            `every ${this.options.lockRetryMs} ms`,
        );
        announced = true;
      }
      await sleep(this.options.lockRetryMs, signal);
    }
    throwIfLost(session);
    return false;
  }

  private async relayWhileActive(
    session: RelaySession,
    target: Target,
    stop: AbortSignal,
  ): Promise<void> {
    const signal = AbortSignal.any([stop, session.signal]);
    let cleanupDue = Date.now() + this.options.cleanupIntervalMs;
    while (!signal.aborted) {
      const drained = await this.drain(session, target, stop);
      if (!drained) {
        await sleep(this.delay(), signal);
        continue;
      }
      if (Date.now() >= cleanupDue) {
        await this.cleanup(session, target, stop);
        cleanupDue = Date.now() + this.options.cleanupIntervalMs;
      }
      await this.wakeup.wait(this.options.pollIntervalMs, signal);
    }
    throwIfLost(session);
  }

  /**
   * Publishes batches until fewer than a full batch remain. Checks `stop`
   * only between batches, so a batch in flight completes. False when a
   * publish failed.
   */
  private async drain(
    session: RelaySession,
    target: Target,
    stop: AbortSignal,
  ): Promise<boolean> {
    while (!stop.aborted) {
      const rows = await session.query<OutboxRow>(target.sql.selectPending, [
        this.options.batchSize,
      ]);
      if (rows.length === 0) {
        this.consecutiveFailures = 0;
        return true;
      }
      if (!(await this.publishBatch(session, target, rows))) {
        return false;
      }
      if (rows.length < this.options.batchSize) {
        return true;
      }
    }
    return true;
  }

  private async publishBatch(
    session: RelaySession,
    target: Target,
    rows: readonly OutboxRow[],
  ): Promise<boolean> {
    const ids = rows.map((row) => String(row.id));
    try {
      // Decoding sits inside the try: a row that cannot be read fails its
      // batch like a broker error, and is logged by id.
      await this.publish(rows.map(toEnvelope));
    } catch (error) {
      this.recordFailure(error);
      this.logger.error(
        `Publishing outbox rows ${describeIds(rows)} failed ` +
          `(${this.consecutiveFailures} in a row, first message ` +
          `${rows[0].message_id}, key ${rows[0].key}); retrying in ` +
          `${this.delay()} ms: ${message(error)}`,
      );
      await session.execute(target.sql.markFailed, [
        ids,
        message(error).slice(0, MAX_ERROR_LENGTH),
      ]);
      return false;
    }
    try {
      await session.execute(target.sql.markPublished, [ids]);
    } catch (error) {
      this.logger.error(
        `Outbox rows ${describeIds(rows)} were published but not marked; ` +
          `they will be published again: ${message(error)}`,
      );
      throw error;
    }
    this.publishedTotal += rows.length;
    this.consecutiveFailures = 0;
    this.lastPublishedAt = new Date();
    this.logger.debug(`Published outbox rows ${describeIds(rows)}`);
    return true;
  }

  private async publish(envelopes: Envelope[]): Promise<void> {
    const publishing = this.publisher?.publishEnvelopes(envelopes);
    const ms = this.options.publishTimeoutMs;
    if (ms === 0) {
      await publishing;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`publisher did not confirm within ${ms} ms`)),
        ms,
      );
    });
    try {
      await Promise.race([publishing, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Deletes old published rows; a failure waits for the next round. */
  private async cleanup(
    session: RelaySession,
    target: Target,
    stop: AbortSignal,
  ): Promise<void> {
    let deleted = 0;
    try {
      let chunk: number;
      do {
        chunk = await session.execute(target.sql.deletePublished, [
          this.options.retentionMs,
          CLEANUP_CHUNK,
        ]);
        deleted += chunk;
      } while (chunk === CLEANUP_CHUNK && !stop.aborted);
    } catch (error) {
      throwIfLost(session);
      this.logger.warn(
        `Outbox cleanup of ${target.description} failed; next try in ` +
          `${this.options.cleanupIntervalMs} ms: ${message(error)}`,
      );
    }
    if (deleted > 0) {
      this.logger.log(
        `Deleted ${deleted} published rows older than ` +
          `${this.options.retentionMs} ms from ${target.description}`,
      );
    }
  }

  private recordFailure(error: unknown): void {
    this.failures += 1;
    this.consecutiveFailures += 1;
    this.lastError = message(error);
    this.lastErrorAt = new Date();
  }

  /** The wait after the current streak of failures. */
  private delay(): number {
    return this.backoff.delayAfter(Math.max(1, this.consecutiveFailures));
  }
}

function throwIfLost(session: RelaySession): void {
  if (!session.alive) {
    throw session.signal.reason;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when `promise` settled within `ms`. */
async function settlesWithin(
  promise: Promise<void>,
  ms: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
