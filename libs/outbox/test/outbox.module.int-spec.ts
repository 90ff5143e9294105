import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import {
  CreateOutboxTables1764720000000,
  InboxService,
  OUTBOX_ENTITIES,
  OutboxModule,
  OutboxRelay,
  OutboxService,
} from '@mq/outbox';
import { dropSchema, testDatabaseUrl, uniqueName, waitFor } from '@mq/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { RecordingPublisher } from './support/recording.publisher.js';
import { FAST_RELAY } from './support/relay-harness.js';

const PUBLISHER = Symbol('PUBLISHER');

@Global()
@Module({
  providers: [{ provide: PUBLISHER, useValue: new RecordingPublisher() }],
  exports: [PUBLISHER],
})
class PublisherModule {}

describe('OutboxModule', () => {
  const url = testDatabaseUrl();
  const schema = uniqueName('outbox_module');

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
  });

  afterAll(async () => {
    await dropSchema(url, schema);
  });

  function typeOrm(name?: string) {
    return TypeOrmModule.forRoot({
      name,
      type: 'postgres',
      url,
      schema,
      entities: OUTBOX_ENTITIES,
      migrations: [CreateOutboxTables1764720000000],
      migrationsRun: true,
    });
  }

  it('starts the relay on bootstrap and stops it on close', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        PublisherModule,
        typeOrm(),
        OutboxModule.forRootAsync({
          inject: [PUBLISHER],
          useFactory: (publisher: RecordingPublisher) => ({
            publisher,
            relay: FAST_RELAY,
          }),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    const relay = app.get(OutboxRelay);
    const publisher = app.get<RecordingPublisher>(PUBLISHER);
    const outbox = app.get(OutboxService);
    const dataSource = app.get(DataSource);

    try {
      await waitFor(
        'the relay to be active',
        () => relay.health().status === 'up',
      );
      const added = await dataSource.transaction((manager) =>
        outbox.add(manager, 'order.created', { id: 'o-1' }, { key: 'o-1' }),
      );
      await waitFor('the publish', () => publisher.published.length === 1);
      expect(publisher.ids()).toEqual([added.id]);
    } finally {
      await app.close();
    }

    expect(relay.stats().state).toBe('stopped');
  });

  it('uses the named DataSource given, with the relay disabled', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        typeOrm('orders'),
        OutboxModule.forRoot({
          dataSource: 'orders',
          relay: { enabled: false },
        }),
      ],
    }).compile();
    const app = await moduleRef.createNestApplication().init();

    try {
      const inbox = app.get(InboxService);
      const result = await inbox.runOnce('payments', 'm-1', async () => 42);
      const again = await inbox.runOnce('payments', 'm-1', async () => 43);

      expect(result).toEqual({ duplicate: false, result: 42 });
      expect(again).toEqual({ duplicate: true });
      const named = app.get<DataSource>(getDataSourceToken('orders'));
      const rows: unknown[] = await named.query(
        `SELECT 1 FROM "${schema}"."inbox_messages"`,
      );
      expect(rows).toHaveLength(1);
      expect(app.get(OutboxRelay).health()).toEqual({
        status: 'up',
        detail: 'relay disabled',
      });
    } finally {
      await app.close();
    }
  });
});
