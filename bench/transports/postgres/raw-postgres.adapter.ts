import pg from 'pg';
import type { WorkloadSpec } from '../../model/workload.types.js';
import type { BenchPayload } from '../../model/workload.types.js';
import { decodePayload, encodePayload } from '../../workload/bench-payload.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';

/** Rows taken per transaction, as the transport's default batch. */
const BATCH = 32;
/** Poll when no NOTIFY comes, as the transport's default. */
const POLL_MS = 1000;

/**
 * pg used directly: a queue table, an INSERT (with NOTIFY) per message,
 * and a consumer that deletes a batch of rows in a transaction and
 * commits only after its handler ran: at least once, no ordering by key,
 * no retries, no dead letters, one consumer group.
 */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  const names = queueNames(spec);
  const pool = new pg.Pool({
    connectionString: spec.endpoints.databaseUrl,
    application_name: `bench-raw-pub-${spec.namespace}`.slice(0, 63),
  });
  pool.on('error', (error) => {
    console.error(`raw pg publisher: idle connection failed: ${error.message}`);
  });
  return {
    async connect() {
      await pool.query('SELECT 1');
    },
    async publish(key: string, payload: BenchPayload) {
      await pool.query(
        `WITH inserted AS (
           INSERT INTO ${names.table} (key, body) VALUES ($1, $2)
           RETURNING 1
         )
         SELECT pg_notify($3, '') FROM inserted`,
        [key, encodePayload(payload), names.channel],
      );
    },
    async close() {
      await pool.end();
    },
  };
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  return new RawPostgresConsumer(spec);
}

class RawPostgresConsumer implements BenchConsumer {
  private readonly names: ReturnType<typeof queueNames>;
  private worker?: pg.Client;
  private listener?: pg.Client;
  private loop?: Promise<void>;
  private running = false;
  private notified = false;
  private wake?: () => void;

  constructor(private readonly spec: WorkloadSpec) {
    this.names = queueNames(spec);
  }

  async prepare(): Promise<void> {
    const client = await this.connect('prepare');
    try {
      await client.query(
        `CREATE SCHEMA IF NOT EXISTS "${this.spec.namespace}"`,
      );
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.names.table} (
           id bigserial PRIMARY KEY,
           key text NOT NULL,
           body bytea NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
    } finally {
      await client.end();
    }
  }

  async start(handle: (payload: BenchPayload) => void): Promise<void> {
    this.listener = await this.connect('listen');
    this.listener.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    await this.listener.query(`LISTEN "${this.names.channel}"`);
    this.worker = await this.connect('worker');
    this.running = true;
    this.loop = this.consume(this.worker, handle);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.worker?.end();
    await this.listener?.end();
  }

  private async consume(
    client: pg.Client,
    handle: (payload: BenchPayload) => void,
  ): Promise<void> {
    while (this.running) {
      this.notified = false;
      await client.query('BEGIN');
      const { rows } = await client.query<{ body: Buffer }>(
        `DELETE FROM ${this.names.table} WHERE id IN (
           SELECT id FROM ${this.names.table}
           ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
         ) RETURNING id, body`,
      );
      for (const row of rows) {
        handle(decodePayload(row.body));
      }
      await client.query('COMMIT');
      if (rows.length === 0 && !this.notified && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  private async connect(role: string): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.spec.endpoints.databaseUrl,
      application_name: `bench-raw-${role}-${this.spec.namespace}`.slice(0, 63),
    });
    client.on('error', (error) => {
      console.error(`raw pg ${role}: connection failed: ${error.message}`);
    });
    await client.connect();
    return client;
  }
}

function queueNames(spec: WorkloadSpec) {
  return {
    table: `"${spec.namespace}".raw_queue`,
    channel: `${spec.namespace}_raw`,
  };
}
