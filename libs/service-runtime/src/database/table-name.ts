import type { QueryRunner } from 'typeorm';
import { quoteIdentifier } from './quote-identifier.js';

/**
 * `"schema"."table"` for raw SQL in a migration, with the schema of the
 * DataSource running it (its `schema` option), so the same migration class
 * serves every namespace.
 */
export function tableName(queryRunner: QueryRunner, table: string): string {
  const options = queryRunner.connection.options;
  const schema = options.type === 'postgres' ? options.schema : undefined;
  return schema
    ? `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`
    : quoteIdentifier(table);
}
