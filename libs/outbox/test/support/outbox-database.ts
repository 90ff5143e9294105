import {
  CreateOutboxTables1764720000000,
  ensureSchema,
  OUTBOX_ENTITIES,
} from '@mq/outbox';
import { dropSchema, testDatabaseUrl, uniqueName } from '@mq/testing';
import { DataSource, type EntitySchema } from 'typeorm';

/** One test file's schema with the outbox tables, made by the migration. */
export interface OutboxDatabase {
  readonly schema: string;
  readonly url: string;
  readonly dataSource: DataSource;
  /** Quoted, qualified name of a table in the schema. */
  table(name: string): string;
  /** Rows of the outbox in id order. */
  outboxRows(): Promise<OutboxRowView[]>;
  /** Empties the outbox and inbox and restarts the ids. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface OutboxRowView {
  id: string;
  message_id: string;
  key: string;
  published_at: Date | null;
  publish_attempts: number;
  last_error: string | null;
}

export async function createOutboxDatabase(
  prefix: string,
  entities: EntitySchema[] = [],
): Promise<OutboxDatabase> {
  const schema = uniqueName(prefix);
  const url = testDatabaseUrl();
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema,
    entities: [...OUTBOX_ENTITIES, ...entities],
    migrations: [CreateOutboxTables1764720000000],
  });
  await dataSource.initialize();
  await ensureSchema(dataSource);
  await dataSource.runMigrations();
  const table = (name: string) => `"${schema}"."${name}"`;
  return {
    schema,
    url,
    dataSource,
    table,
    outboxRows: () =>
      dataSource.query(
        'SELECT id, message_id, key, published_at, publish_attempts, ' +
          `last_error FROM ${table('outbox_messages')} ORDER BY id`,
      ),
    async reset() {
      await dataSource.query(
        `TRUNCATE ${table('outbox_messages')}, ${table('inbox_messages')} ` +
          'RESTART IDENTITY',
      );
    },
    async close() {
      await dataSource.destroy();
      await dropSchema(url, schema);
    },
  };
}
