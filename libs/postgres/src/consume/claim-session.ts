import type { Logger } from '@nestjs/common';
import pg from 'pg';
import type {
  ClientConfig,
  QueryConfig,
  QueryResult,
  QueryResultRow,
} from 'pg';

/**
 * The claim loop's own session. Claims and done writes run here, one after
 * the other, so they never wait for a pooled connection behind handlers'
 * outcome writes, and their prepared statements are planned once per
 * session. It connects on first use. A query that fails ends the session
 * and the next query opens a new one: a dropped connection costs one
 * failed claim, which the claim loop retries with backoff.
 */
export class ClaimSession {
  private client?: pg.Client;
  private connecting?: Promise<pg.Client>;
  private ended = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly logger: Logger,
    /** Whether commits wait for the WAL flush (see `synchronousAcks`). */
    private readonly synchronousCommit: boolean,
  ) {}

  async query<R extends QueryResultRow>(
    query: QueryConfig,
  ): Promise<QueryResult<R>> {
    const client = await this.connected();
    try {
      return await client.query<R>(query);
    } catch (error) {
      // Cheaper to reconnect than to tell a broken session from a bad query.
      this.discard(client);
      throw error;
    }
  }

  async end(): Promise<void> {
    this.ended = true;
    const client = this.client;
    this.client = undefined;
    if (client) {
      await endQuietly(client, this.logger);
      return;
    }
    try {
      // A session still connecting ends itself once it sees `ended`.
      await this.connecting;
    } catch (error) {
      this.logger.debug(
        `claim session ended while connecting: ${String(error)}`,
      );
    }
  }

  private connected(): Promise<pg.Client> {
    if (this.ended) {
      return Promise.reject(new Error('the claim session is closed'));
    }
    if (this.client) {
      return Promise.resolve(this.client);
    }
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client(this.config);
    // Without a listener a session the server kills would crash the process.
    client.on('error', (error) => {
      this.logger.warn(`claim session failed: ${error.message}`);
      this.discard(client);
    });
    try {
      await client.connect();
      await client.query(this.sessionSettings());
    } catch (error) {
      void endQuietly(client, this.logger);
      throw error;
    }
    if (this.ended) {
      await endQuietly(client, this.logger);
      throw new Error('the claim session is closed');
    }
    this.client = client;
    return client;
  }

  /**
   * The statements of this session are shaped to plan well without
   * statistics (see claim-sql.ts), so the generic plan of a prepared
   * statement is as good as a custom one and saves planning them at every
   * tick. With asynchronous commit a tick does not wait for its WAL
   * flush; only a crash of PostgreSQL itself can then forget its last
   * claims and done marks, which redelivers those messages. Otherwise the
   * server's own `synchronous_commit` applies.
   */
  private sessionSettings(): string {
    const generic = 'SET plan_cache_mode = force_generic_plan';
    return this.synchronousCommit
      ? generic
      : `${generic}; SET synchronous_commit = off`;
  }

  private discard(client: pg.Client): void {
    if (this.client === client) {
      this.client = undefined;
      void endQuietly(client, this.logger);
    }
  }
}

/** Ends a session that may already be broken; that is not worth an error. */
async function endQuietly(client: pg.Client, logger: Logger): Promise<void> {
  try {
    await client.end();
  } catch (error) {
    logger.debug(`closing a broken claim session: ${String(error)}`);
  }
}
