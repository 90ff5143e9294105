import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { InboxMessage } from '../entities/inbox-message.entity.js';
import { OutboxMessage } from '../entities/outbox-message.entity.js';

/** Where the outbox lives in one DataSource, ready for raw SQL. */
export interface OutboxTables {
  /** Schema of the outbox table; undefined means the search_path. */
  readonly schema: string | undefined;
  /** Quoted, schema-qualified `outbox_messages`. */
  readonly outbox: string;
}

const cache = new WeakMap<DataSource, OutboxTables>();

/**
 * Reads the table names from the entity metadata, so the schema is the one
 * the DataSource gives the entities (its `schema` option).
 */
export function outboxTables(dataSource: DataSource): OutboxTables {
  let tables = cache.get(dataSource);
  if (!tables) {
    const metadata = entityMetadata(dataSource, OutboxMessage, 'OutboxMessage');
    tables = {
      schema: metadata.schema,
      outbox: qualifiedName(metadata.schema, metadata.tableName),
    };
    cache.set(dataSource, tables);
  }
  return tables;
}

/** Quoted, schema-qualified `inbox_messages`. */
export function inboxTable(dataSource: DataSource): string {
  const metadata = entityMetadata(dataSource, InboxMessage, 'InboxMessage');
  return qualifiedName(metadata.schema, metadata.tableName);
}

/** `"schema"."table"`, or `"table"` without a schema. */
export function qualifiedName(
  schema: string | undefined,
  table: string,
): string {
  return schema
    ? `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`
    : quoteIdentifier(table);
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function entityMetadata<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  name: string,
) {
  if (!dataSource.hasMetadata(target)) {
    throw new TypeError(
      `${name} is not an entity of this DataSource; add OUTBOX_ENTITIES ` +
        'to its entities option',
    );
  }
  return dataSource.getMetadata(target);
}
