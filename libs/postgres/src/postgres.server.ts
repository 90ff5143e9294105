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
import { ClaimLoop } from './consume/claim-loop.js';
import { ClaimSession } from './consume/claim-session.js';
import {
  toInboundDelivery,
  type ClaimedDelivery,
} from './consume/claimed-delivery.js';
import { DeliveryRepository } from './consume/delivery.repository.js';
import { LeaseKeeper } from './consume/lease-keeper.js';
import { ListenConnection } from './consume/listen-connection.js';
import { OutcomeRecorder } from './consume/outcome-recorder.js';
import { RetentionCleanup } from './consume/retention-cleanup.js';
import { RetryWakeups } from './consume/retry-wakeups.js';
import { serverHealth } from './consume/server-health.js';
import { WakeSignal } from './consume/wake-signal.js';
import { PostgresDeadLetterStore } from './dead-letter/postgres-dead-letter.store.js';
import { SERVER_APPLICATION_PREFIX } from './postgres.constants.js';
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
  private readonly session: ClaimSession;
  private readonly repository: DeliveryRepository;
  private readonly leases: LeaseKeeper;
  private readonly cleanup: RetentionCleanup;
  private readonly outcomes: OutcomeRecorder;
  private readonly listener: ListenConnection;
  private readonly signal = new WakeSignal();
  private readonly claimLoop: ClaimLoop;

  private state: State = 'idle';
  private loop?: Promise<void>;
  private readonly retryWakeups = new RetryWakeups(this.signal);

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
    const sessionConfig = connectionConfig(
      options.connection,
      this.applicationName,
    );
    this.session = new ClaimSession(
      sessionConfig,
      this.logger,
      this.settings.synchronousAcks,
    );
    this.repository = new DeliveryRepository(
      this.pool,
      this.session,
      this.schema,
      this.consumerGroup,
      owner.join(':'),
    );
    this.leases = new LeaseKeeper(
      this.repository,
      this.logger,
      this.settings.leaseMs,
    );
    this.cleanup = new RetentionCleanup(
      this.pool,
      this.schema,
      this.settings,
      this.logger,
    );
    this.outcomes = new OutcomeRecorder(
      this.repository,
      this.leases.done,
      this.logger,
      () => this.state === 'closed',
      this.settings.leaseMs,
    );
    this.listener = new ListenConnection(
      sessionConfig,
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
    this.claimLoop = this.createClaimLoop();
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
    this.retryWakeups.clear();
    this.cleanup.stop();
    if (wasListening) {
      await this.drainInFlight();
      await this.leases.settleOnClose();
    }
    this.leases.stop();
    this.state = 'closed';
    await this.listener.stop();
    await this.session.end();
    if (this.ownsPool) {
      await this.pool.end();
    }
  }

  health(): TransportHealth {
    return serverHealth({
      state: this.state,
      listening: this.listener.isConnected,
      pollIntervalMs: this.settings.pollIntervalMs,
      claimError: this.claimLoop.lastError,
      schema: this.schema.name,
      consumerGroup: this.consumerGroup,
    });
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
    this.leases.start();
    this.cleanup.start();
    this.loop = this.claimLoop.run();
  }

  private createClaimLoop(): ClaimLoop {
    const { batchSize, leaseMs, pollIntervalMs } = this.settings;
    return new ClaimLoop({
      logger: this.logger,
      signal: this.signal,
      batchSize,
      pollIntervalMs,
      isRunning: () => this.state === 'listening',
      whenSlotFree: () =>
        Promise.race([
          this.scheduler.whenBelow(this.concurrency),
          this.signal.whenStopped,
        ]),
      freeSlots: () => this.concurrency - this.scheduler.pending,
      claim: async (limit) => {
        const exclude = this.leases.owned();
        const tick = await this.leases.done.flush((done) =>
          this.repository.claim(limit, leaseMs, done, exclude),
        );
        return tick.claimed;
      },
      dispatch: (delivery) => this.dispatch(delivery),
    });
  }

  private dispatch(delivery: ClaimedDelivery): void {
    this.leases.claimed(delivery.id);
    void this.scheduler.schedule(delivery.key, async () => {
      this.leases.started(delivery.id);
      try {
        await this.handle(delivery);
      } finally {
        this.leases.finished(delivery.id);
        // A slot is free and the key's next delivery may now be claimable.
        this.signal.wake();
      }
    });
  }

  private async handle(delivery: ClaimedDelivery): Promise<void> {
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
      this.retryWakeups.after(outcome.delayMs);
    }
    await this.outcomes.record(delivery, outcome);
  }
}
