import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  ReliableServer,
  type ProcessOutcome,
  type TransportHealth,
} from '@mq/core';
import type { Pool } from 'pg';
import {
  applicationNameFor,
  connectionConfig,
  resolvePool,
} from './connection/postgres-connection.js';
import {
  byPublishOrder,
  toInboundDelivery,
  type ClaimedDelivery,
} from './consume/claimed-delivery.js';
import { DeliveryRepository } from './consume/delivery.repository.js';
import { ListenConnection } from './consume/listen-connection.js';
import { OutcomeRecorder } from './consume/outcome-recorder.js';
import {
  headerBytes,
  oversizedHeadersOutcome,
} from './consume/oversized-headers.js';
import { deleteExpiredRows } from './consume/retention-cleanup.js';
import { WakeSignal } from './consume/wake-signal.js';
import { PostgresDeadLetterStore } from './dead-letter/postgres-dead-letter.store.js';
import {
  RECONNECT_MAX_DELAY_MS,
  RECONNECT_MIN_DELAY_MS,
  SERVER_APPLICATION_PREFIX,
} from './postgres.constants.js';
import type { PostgresServerOptions } from './postgres-server.options.js';
import { QueueSchema } from './schema/queue-schema.js';
import { runMigrations } from './schema/run-migrations.js';
import {
  resolveServerSettings,
  type PostgresServerSettings,
} from './server-settings.js';

type State = 'idle' | 'listening' | 'closing' | 'closed';

/**
 * Nest server strategy that consumes a consumer group's deliveries from
 * the PostgreSQL queue tables.
 *
 * It claims due deliveries with `FOR UPDATE SKIP LOCKED` under a lease,
 * never more than it has free handler slots, and never a delivery whose
 * key has an earlier unfinished delivery in the group. It wakes on NOTIFY,
 * polls as a fallback and catches up after its LISTEN session comes back.
 *
 * @example
 * app.connectMicroservice(
 *   { strategy: new PostgresServer({ connection, consumerGroup: 'billing' }) },
 *   { inheritAppConfig: true },
 * );
 */
export class PostgresServer extends ReliableServer {
  /** application_name of this server's sessions (pools it created). */
  readonly applicationName: string;
  private readonly settings: PostgresServerSettings;
  private readonly schema: QueueSchema;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly repository: DeliveryRepository;
  private readonly outcomes: OutcomeRecorder;
  private readonly listener: ListenConnection;
  private readonly signal = new WakeSignal();

  private state: State = 'idle';
  private loop?: Promise<void>;
  private lastClaimError?: Error;
  /** Claimed and not settled; `started` once a handler slot took it. */
  private readonly inFlight = new Map<string, { started: boolean }>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private renewTimer?: NodeJS.Timeout;
  private cleanupTimer?: NodeJS.Timeout;

  constructor(options: PostgresServerOptions) {
    super(options, PostgresServer.name);
    this.settings = resolveServerSettings(options, this.handlerTimeoutMs);
    this.schema = new QueueSchema(options);
    this.applicationName =
      options.applicationName ??
      applicationNameFor(SERVER_APPLICATION_PREFIX, this.consumerGroup);

    const resolved = resolvePool(
      options.connection,
      this.applicationName,
      (error) =>
        this.logger.warn(`idle pool connection failed: ${error.message}`),
    );
    this.pool = resolved.pool;
    this.ownsPool = resolved.owned;
    const owner = [hostname(), process.pid, randomBytes(4).toString('hex')];
    this.repository = new DeliveryRepository(
      this.pool,
      this.schema,
      this.consumerGroup,
      owner.join(':'),
    );
    this.outcomes = new OutcomeRecorder(
      this.repository,
      this.logger,
      () => this.state === 'closed',
      this.settings.leaseMs,
    );
    this.listener = new ListenConnection(
      connectionConfig(options.connection, this.applicationName),
      this.schema,
      {
        notified: (group) => {
          if (group === this.consumerGroup || group === '') {
            this.signal.wake();
          }
        },
        // Whatever was published while nobody listened is claimed now.
        listening: () => this.signal.wake(),
      },
      this.logger,
    );
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /**
   * Stops claiming, waits for running handlers (at most shutdownTimeoutMs),
   * hands back the leases of whatever did not finish so another consumer
   * takes it at once, then closes the LISTEN session and the pool (only a
   * pool the server created).
   */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') {
      return;
    }
    const wasListening = this.state === 'listening';
    this.state = 'closing';
    this.signal.stop();
    await this.loop;
    for (const timer of this.retryTimers) {
      clearTimeout(timer);
    }
    clearInterval(this.cleanupTimer);
    if (wasListening) {
      await this.drainInFlight();
      await this.releaseUnfinished();
    }
    clearInterval(this.renewTimer);
    this.state = 'closed';
    await this.listener.stop();
    if (this.ownsPool) {
      await this.pool.end();
    }
  }

  health(): TransportHealth {
    if (this.state !== 'listening') {
      return { status: 'down', detail: `server is ${this.state}` };
    }
    if (!this.listener.isConnected) {
      const every = this.settings.pollIntervalMs;
      return {
        status: 'down',
        detail: `LISTEN connection lost; polling every ${every} ms`,
      };
    }
    if (this.lastClaimError) {
      return {
        status: 'down',
        detail: `claiming failed: ${this.lastClaimError.message}`,
      };
    }
    return {
      status: 'up',
      detail: `schema ${this.schema.name}, group ${this.consumerGroup}`,
    };
  }

  /** The `pg.Pool` the server queries with. */
  unwrap<T>(): T {
    return this.pool as T;
  }

  /** Inspection and redrive of this server's consumer group. */
  deadLetters(): PostgresDeadLetterStore {
    return new PostgresDeadLetterStore(this.pool, this.consumerGroup, {
      schema: this.schema.name,
      listenChannel: this.schema.channel,
    });
  }

  private async start(): Promise<void> {
    if (this.state !== 'idle') {
      throw new Error(`PostgresServer: cannot listen when ${this.state}`);
    }
    if (this.settings.migrate) {
      await runMigrations(this.pool, {
        schema: this.schema.name,
        listenChannel: this.schema.channel,
      });
    }
    const patterns = this.eventPatterns();
    await this.repository.subscribe(patterns);
    for (const pattern of patterns) {
      this.logBinding(pattern, `${this.schema.name}.deliveries`);
    }
    for (const pattern of this.requestPatterns()) {
      this.logger.warn(
        `@MessagePattern("${pattern}") is not served: the PostgreSQL ` +
          'transport carries events only',
      );
    }
    await this.listener.start();
    if (this.state !== 'idle') {
      // close() ran while we were starting; it had nothing to stop yet.
      await this.listener.stop();
      throw new Error('PostgresServer: closed before it was listening');
    }
    this.state = 'listening';
    this.startTimers();
    this.loop = this.claimLoop();
  }

  private startTimers(): void {
    const { leaseMs, cleanupIntervalMs } = this.settings;
    this.renewTimer = setInterval(
      () => void this.renewLeases(),
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    if (cleanupIntervalMs > 0) {
      this.cleanupTimer = setInterval(
        () => void this.cleanup(),
        cleanupIntervalMs,
      );
    }
  }

  /**
   * Claims while there is work and free slots, then sleeps until woken
   * or the poll interval ends. A failing database is survived: log, back
   * off, go on.
   */
  private async claimLoop(): Promise<void> {
    const { batchSize, leaseMs, pollIntervalMs } = this.settings;
    let backoffMs = RECONNECT_MIN_DELAY_MS;
    while (this.state === 'listening') {
      await Promise.race([
        this.scheduler.whenBelow(this.concurrency),
        this.signal.whenStopped,
      ]);
      if (this.state !== 'listening') {
        break;
      }
      this.signal.reset();
      const free = this.concurrency - this.scheduler.pending;
      const limit = Math.min(batchSize, free);
      let claimed: ClaimedDelivery[];
      try {
        claimed = await this.repository.claim(limit, leaseMs, [
          ...this.inFlight.keys(),
        ]);
      } catch (error) {
        this.claimFailed(error, backoffMs);
        await this.signal.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, RECONNECT_MAX_DELAY_MS);
        continue;
      }
      if (this.lastClaimError) {
        this.logger.log('claiming works again');
        this.lastClaimError = undefined;
      }
      backoffMs = RECONNECT_MIN_DELAY_MS;
      for (const delivery of claimed.sort(byPublishOrder)) {
        this.dispatch(delivery);
      }
      if (claimed.length < limit) {
        await this.signal.sleep(pollIntervalMs);
      }
    }
  }

  private claimFailed(error: unknown, backoffMs: number): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    const reason = `${failure.message}; next try in ${backoffMs} ms`;
    if (this.lastClaimError) {
      this.logger.warn(`claiming still fails: ${reason}`);
    } else {
      this.logger.error(`claiming deliveries failed: ${reason}`);
    }
    this.lastClaimError = failure;
  }

  private dispatch(delivery: ClaimedDelivery): void {
    const entry = { started: false };
    this.inFlight.set(delivery.id, entry);
    void this.scheduler.schedule(delivery.key, async () => {
      entry.started = true;
      try {
        await this.handle(delivery);
      } finally {
        this.inFlight.delete(delivery.id);
        // A slot is free and the key's next delivery may now be claimable.
        this.signal.wake();
      }
    });
  }

  private async handle(delivery: ClaimedDelivery): Promise<void> {
    const bytes = headerBytes(delivery.headers);
    if (bytes > this.settings.maxHeaderBytes) {
      await this.rejectOversized(delivery, bytes);
      return;
    }
    let outcome: ProcessOutcome;
    try {
      outcome = await this.processor.process(toInboundDelivery(delivery));
    } catch (error) {
      this.logger.error(
        `processing id=${delivery.messageId} key=${delivery.key} failed ` +
          `unexpectedly: ${String(error)}; it comes back when its lease ends`,
      );
      return;
    }
    if (outcome.kind === 'retry') {
      this.wakeAfter(outcome.delayMs);
    }
    await this.outcomes.record(delivery, outcome);
  }

  private async rejectOversized(
    delivery: ClaimedDelivery,
    bytes: number,
  ): Promise<void> {
    const limit = this.settings.maxHeaderBytes;
    this.logger.warn(
      `dead-lettering id=${delivery.messageId} from ${delivery.type}: ` +
        `headers of ${bytes} bytes exceed the limit of ${limit} bytes`,
    );
    await this.outcomes.record(
      delivery,
      oversizedHeadersOutcome(delivery, this.consumerGroup, bytes, limit),
    );
  }

  private async releaseUnfinished(): Promise<void> {
    const notStarted = [...this.inFlight.entries()]
      .filter(([, entry]) => !entry.started)
      .map(([id]) => id);
    try {
      const released = await this.repository.releaseLeases(notStarted);
      if (released > 0) {
        this.logger.log(`released ${released} unfinished lease(s)`);
      }
    } catch (error) {
      this.logger.error(
        `could not release leases on close: ${String(error)}; the ` +
          'deliveries come back when their leases expire ' +
          `(${this.settings.leaseMs} ms)`,
      );
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.inFlight.size === 0) {
      return;
    }
    try {
      await this.repository.renewLeases(
        [...this.inFlight.keys()],
        this.settings.leaseMs,
      );
    } catch (error) {
      this.logger.warn(`renewing leases failed: ${String(error)}`);
    }
  }

  private async cleanup(): Promise<void> {
    try {
      const deleted = await deleteExpiredRows(
        this.pool,
        this.schema,
        this.settings.retentionMs,
      );
      if (deleted > 0) {
        this.logger.debug(`retention cleanup deleted ${deleted} row(s)`);
      }
    } catch (error) {
      this.logger.warn(`retention cleanup failed: ${String(error)}`);
    }
  }

  /** Wakes the claim loop once a retry this server scheduled is due. */
  private wakeAfter(delayMs: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.signal.wake();
    }, delayMs + 1);
    this.retryTimers.add(timer);
  }
}
