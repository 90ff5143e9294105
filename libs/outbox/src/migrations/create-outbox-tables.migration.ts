import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedName, quoteIdentifier } from '../schema/outbox-tables.js';

/**
 * Creates `outbox_messages` and `inbox_messages` in the schema of the
 * DataSource that runs it (its `schema` option), so every service adds it to
 * its own `migrations` and runs them instead of `synchronize`. The DDL is the
 * one the entities describe: schema sync finds nothing to change after it.
 */
export class CreateOutboxTables1764720000000 implements MigrationInterface {
  /** Kept explicit: TypeORM reads the timestamp from it, minified or not. */
  readonly name = 'CreateOutboxTables1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    const outbox = qualifiedName(schema, 'outbox_messages');
    const inbox = qualifiedName(schema, 'inbox_messages');
    if (schema) {
      await queryRunner.query(
        `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`,
      );
    }
    await queryRunner.query(`
      CREATE TABLE ${outbox} (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "message_id" uuid NOT NULL,
        "type" text NOT NULL,
        "key" text NOT NULL,
        "headers" jsonb NOT NULL,
        "payload" text NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "published_at" TIMESTAMP WITH TIME ZONE,
        "publish_attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "outbox_messages_message_id_key" UNIQUE ("message_id")
      )`);
    // The relay's scan: only pending rows, however many published ones wait
    // for the cleanup.
    await queryRunner.query(
      `CREATE INDEX "outbox_messages_unpublished_idx" ON ${outbox} ("id") ` +
        'WHERE "published_at" IS NULL',
    );
    await queryRunner.query(
      `CREATE INDEX "outbox_messages_published_at_idx" ON ${outbox} ` +
        '("published_at") WHERE "published_at" IS NOT NULL',
    );
    await queryRunner.query(`
      CREATE TABLE ${inbox} (
        "consumer" text NOT NULL,
        "message_id" text NOT NULL,
        "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "inbox_messages_pkey" PRIMARY KEY ("consumer", "message_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "inbox_messages_processed_at_idx" ON ${inbox} ` +
        '("processed_at")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(
      `DROP TABLE ${qualifiedName(schema, 'inbox_messages')}`,
    );
    await queryRunner.query(
      `DROP TABLE ${qualifiedName(schema, 'outbox_messages')}`,
    );
  }
}

function schemaOf(queryRunner: QueryRunner): string | undefined {
  const options = queryRunner.connection.options;
  if (options.type !== 'postgres') {
    throw new TypeError(
      `CreateOutboxTables needs a postgres DataSource, not ${options.type}`,
    );
  }
  return options.schema;
}
