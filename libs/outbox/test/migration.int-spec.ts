import {
  CreateOutboxTables1764720000000,
  ensureSchema,
  OUTBOX_ENTITIES,
} from '@mq/outbox';
import { dropSchema, testDatabaseUrl, uniqueName } from '@mq/testing';
import { DataSource } from 'typeorm';

describe('CreateOutboxTables migration', () => {
  const schema = uniqueName('outbox_migration');
  const url = testDatabaseUrl();
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'postgres',
      url,
      schema,
      entities: OUTBOX_ENTITIES,
      migrations: [CreateOutboxTables1764720000000],
    });
    await dataSource.initialize();
    await ensureSchema(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropSchema(url, schema);
  });

  it('creates both tables in the schema of the DataSource', async () => {
    const ran = await dataSource.runMigrations();

    expect(ran.map((migration) => migration.name)).toEqual([
      'CreateOutboxTables1764720000000',
    ]);
    const tables: { table_name: string }[] = await dataSource.query(
      'SELECT table_name FROM information_schema.tables ' +
        'WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['inbox_messages', 'outbox_messages']),
    );
    const indexes: { indexname: string; indexdef: string }[] =
      await dataSource.query(
        'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1',
        [schema],
      );
    const unpublished = indexes.find(
      (index) => index.indexname === 'outbox_messages_unpublished_idx',
    );
    expect(unpublished?.indexdef).toMatch(/WHERE \(published_at IS NULL\)/);
  });

  it('leaves nothing for schema sync to change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();

    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('is undone by its down step', async () => {
    await dataSource.undoLastMigration();

    const tables: unknown[] = await dataSource.query(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 ' +
        "AND table_name IN ('outbox_messages', 'inbox_messages')",
      [schema],
    );
    expect(tables).toEqual([]);
  });
});
