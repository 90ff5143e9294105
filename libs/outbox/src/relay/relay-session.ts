import pg from 'pg';
import { quoteIdentifier } from '../schema/outbox-tables.js';

/** A socket that half failed may never report its end; do not hang on it. */
const END_TIMEOUT_MS = 5000;

/**
 * The relay's dedicated connection: it holds the session-level advisory
 * lock that makes one instance active, LISTENs for NOTIFY and runs the
 * relay's queries, so a relay whose connection died cannot mark rows.
 * Losing it loses the lock and the LISTEN together; `signal` then aborts.
 */
export class RelaySession {
  private readonly client: pg.Client;
  private readonly lost = new AbortController();
  private lockName?: string;
  private ended = false;

  constructor(
    config: pg.ClientConfig,
    private readonly channel: string,
    onNotification: () => void,
  ) {
    this.client = new pg.Client(config);
    this.client.on('error', (error) => this.markLost(error));
    this.client.on('end', () =>
      this.markLost(new Error('relay connection closed')),
    );
    this.client.on('notification', (message) => {
      if (message.channel === this.channel) {
        onNotification();
      }
    });
  }

  /** Aborts when the connection is lost; the reason is the error. */
  get signal(): AbortSignal {
    return this.lost.signal;
  }

  get alive(): boolean {
    return !this.lost.signal.aborted;
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  /** Takes the lock if it is free; true when this session holds it. */
  async tryLock(name: string): Promise<boolean> {
    const rows = await this.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
      [name],
    );
    if (rows[0]?.locked) {
      this.lockName = name;
      return true;
    }
    return false;
  }

  async listen(): Promise<void> {
    await this.client.query(`LISTEN ${quoteIdentifier(this.channel)}`);
  }

  async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    this.throwIfLost();
    const result = await this.client.query(sql, params);
    return result.rows as R[];
  }

  /** Rows changed by an UPDATE or DELETE. */
  async execute(sql: string, params: unknown[] = []): Promise<number> {
    this.throwIfLost();
    const result = await this.client.query(sql, params);
    return result.rowCount ?? 0;
  }

  /**
   * Releases the lock (so a standby need not wait for the server to notice
   * a closed socket) and closes the connection. Never throws: it runs on
   * shutdown and after failures; what goes wrong is returned for logging.
   */
  async close(): Promise<unknown> {
    if (this.ended) {
      return undefined;
    }
    this.ended = true;
    let failure: unknown;
    if (this.lockName && this.alive) {
      try {
        await this.client.query(
          'SELECT pg_advisory_unlock(hashtextextended($1, 0))',
          [this.lockName],
        );
      } catch (error) {
        failure = error;
      }
    }
    this.lockName = undefined;
    try {
      await withTimeout(this.client.end(), END_TIMEOUT_MS);
    } catch (error) {
      failure ??= error;
    }
    return failure;
  }

  private markLost(error: Error): void {
    if (!this.lost.signal.aborted) {
      this.lost.abort(error);
    }
  }

  private throwIfLost(): void {
    if (this.lost.signal.aborted) {
      throw this.lost.signal.reason;
    }
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`relay connection did not close in ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
