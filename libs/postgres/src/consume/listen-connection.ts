import type { Logger } from '@nestjs/common';
import pg from 'pg';
import type { ClientConfig } from 'pg';
import {
  RECONNECT_MAX_DELAY_MS,
  RECONNECT_MIN_DELAY_MS,
} from '../postgres.constants.js';
import type { QueueSchema } from '../schema/queue-schema.js';

export interface ListenEvents {
  /** A NOTIFY arrived on the channel, with its payload. */
  notified(payload: string): void;
  /** LISTEN is (again) in place: anything sent meanwhile was missed. */
  listening(): void;
}

/**
 * The dedicated session that LISTENs for wake-ups. A pooled connection
 * cannot do it: the pool hands it to other queries and may close it. When
 * the session is lost it reconnects with exponential backoff; each time
 * LISTEN is back in place it reports `listening`, so the server reads what
 * was published while nobody listened.
 */
export class ListenConnection {
  private client?: pg.Client;
  private connected = false;
  private stopped = false;
  private lostOnce = false;
  private delayMs = RECONNECT_MIN_DELAY_MS;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly config: ClientConfig,
    private readonly schema: QueueSchema,
    private readonly events: ListenEvents,
    private readonly logger: Logger,
  ) {}

  get isConnected(): boolean {
    return this.connected;
  }

  /** Connects once; on failure it keeps trying in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    if (client) {
      await endQuietly(client, this.logger);
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === this.schema.channel) {
        this.events.notified(message.payload ?? '');
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.schema.quotedChannel}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped || this.client !== client) {
      await endQuietly(client, this.logger);
      return;
    }
    this.connected = true;
    this.delayMs = RECONNECT_MIN_DELAY_MS;
    if (this.lostOnce) {
      this.logger.log(`LISTEN ${this.schema.channel} restored`);
    }
    this.events.listening();
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.stopped || this.client !== client) {
      return;
    }
    this.client = undefined;
    const reason = error instanceof Error ? error.message : 'session ended';
    if (this.connected || !this.lostOnce) {
      this.logger.error(
        `LISTEN connection lost (${reason}); polling until it is back`,
      );
    } else {
      this.logger.warn(
        `LISTEN reconnect failed (${reason}); next try in ${this.delayMs} ms`,
      );
    }
    this.connected = false;
    this.lostOnce = true;
    void endQuietly(client, this.logger);
    this.retryTimer = setTimeout(() => void this.connect(), this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, RECONNECT_MAX_DELAY_MS);
  }
}

/** Ends a session that may already be broken; that is not worth an error. */
async function endQuietly(client: pg.Client, logger: Logger): Promise<void> {
  try {
    await client.end();
  } catch (error) {
    logger.debug(`closing a broken LISTEN session: ${String(error)}`);
  }
}
