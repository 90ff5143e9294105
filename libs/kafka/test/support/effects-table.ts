import pg from 'pg';
import type { Envelope } from '@mq/core';

/**
 * An inbox-guarded side effect in PostgreSQL, as a real consumer does it:
 * in one transaction, record "message M processed" under a unique key and
 * write the effect; a redelivery finds the inbox row and writes nothing.
 * Every run, redeliveries included, is logged in `deliveries`.
 */
export class EffectsTable {
  constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  static async create(url: string, schema: string): Promise<EffectsTable> {
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await pool.query(`
      CREATE TABLE "${schema}".inbox (
        message_id text PRIMARY KEY,
        handled_by text NOT NULL
      );
      CREATE TABLE "${schema}".effects (
        id bigserial PRIMARY KEY,
        message_id text NOT NULL,
        order_key text NOT NULL
      );
      CREATE TABLE "${schema}".deliveries (
        id bigserial PRIMARY KEY,
        message_id text NOT NULL,
        handled_by text NOT NULL
      );`);
    return new EffectsTable(pool, schema);
  }

  static connect(url: string, schema: string): EffectsTable {
    return new EffectsTable(
      new pg.Pool({ connectionString: url, max: 8 }),
      schema,
    );
  }

  /** The handler's work; `holdMs` widens the window a crash can hit. */
  async apply(
    envelope: Envelope,
    handledBy: string,
    holdMs = 0,
  ): Promise<void> {
    const s = this.schema;
    await this.pool.query(
      `INSERT INTO "${s}".deliveries (message_id, handled_by) VALUES ($1, $2)`,
      [envelope.id, handledBy],
    );
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inbox = await client.query(
        `INSERT INTO "${s}".inbox (message_id, handled_by) VALUES ($1, $2)
         ON CONFLICT (message_id) DO NOTHING`,
        [envelope.id, handledBy],
      );
      if (inbox.rowCount === 1) {
        await client.query(
          `INSERT INTO "${s}".effects (message_id, order_key) VALUES ($1, $2)`,
          [envelope.id, envelope.key],
        );
      }
      if (holdMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, holdMs));
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async counts(): Promise<{
    effects: number;
    distinct: number;
    deliveries: number;
    byChild: number;
  }> {
    const s = this.schema;
    const { rows } = await this.pool.query<Record<string, string>>(`
      SELECT
        (SELECT count(*) FROM "${s}".effects) AS effects,
        (SELECT count(DISTINCT message_id) FROM "${s}".effects) AS distinct,
        (SELECT count(*) FROM "${s}".deliveries) AS deliveries,
        (SELECT count(*) FROM "${s}".deliveries
          WHERE handled_by = 'child') AS by_child`);
    return {
      effects: Number(rows[0].effects),
      distinct: Number(rows[0].distinct),
      deliveries: Number(rows[0].deliveries),
      byChild: Number(rows[0].by_child),
    };
  }

  async close(drop = false): Promise<void> {
    if (drop) {
      await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    }
    await this.pool.end();
  }
}
