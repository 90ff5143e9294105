import type { QueueSchema } from './queue-schema.js';

/** One numbered step of the queue's DDL. Steps are applied once, in order. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  sql(schema: QueueSchema): string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'messages, subscriptions and deliveries',
    sql: (s) => `
      CREATE TABLE IF NOT EXISTS ${s.messages} (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        key text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        body bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS messages_created_at_idx
        ON ${s.messages} (created_at);

      CREATE TABLE IF NOT EXISTS ${s.subscriptions} (
        consumer_group text NOT NULL,
        pattern text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, pattern)
      );
      CREATE INDEX IF NOT EXISTS subscriptions_pattern_idx
        ON ${s.subscriptions} (pattern);

      CREATE TABLE IF NOT EXISTS ${s.deliveries} (
        consumer_group text NOT NULL,
        message_id bigint NOT NULL
          REFERENCES ${s.messages} (id) ON DELETE CASCADE,
        key text NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'done', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL DEFAULT now(),
        leased_by text,
        leased_until timestamptz,
        first_failed_at timestamptz,
        last_failed_at timestamptz,
        last_error_name text,
        last_error_message text,
        finished_at timestamptz,
        PRIMARY KEY (consumer_group, message_id)
      );
      -- The claim scans a group's pending rows in publish order.
      CREATE INDEX IF NOT EXISTS deliveries_pending_idx
        ON ${s.deliveries} (consumer_group, message_id)
        WHERE status = 'pending';
      -- The ordering check: is an earlier row of this key unfinished?
      CREATE INDEX IF NOT EXISTS deliveries_pending_key_idx
        ON ${s.deliveries} (consumer_group, key, message_id)
        WHERE status = 'pending';
      CREATE INDEX IF NOT EXISTS deliveries_dead_idx
        ON ${s.deliveries} (consumer_group, finished_at)
        WHERE status = 'dead';
      CREATE INDEX IF NOT EXISTS deliveries_done_idx
        ON ${s.deliveries} (finished_at)
        WHERE status = 'done';
      -- Cascading deletes and the cleanup look rows up by message.
      CREATE INDEX IF NOT EXISTS deliveries_message_idx
        ON ${s.deliveries} (message_id);
    `,
  },
  {
    version: 2,
    description: 'room on delivery pages for HOT updates',
    // A claim changes no indexed column, so with free space on the page
    // its update is HOT: no new entries in the five indexes. Applies to
    // pages written from now on.
    sql: (s) => `ALTER TABLE ${s.deliveries} SET (fillfactor = 70);`,
  },
];
