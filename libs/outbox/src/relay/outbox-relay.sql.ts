import { OUTBOX_ROW_COLUMNS } from './outbox-row.js';

/** Rows deleted per cleanup statement, so no statement runs for long. */
export const CLEANUP_CHUNK = 5000;

/** The relay's statements for one outbox table (quoted, qualified). */
export function relayStatements(table: string) {
  return {
    // Pending rows in id order, every time: a row whose transaction
    // committed after a row with a higher id is still found, which a
    // high-water mark would skip for good.
    selectPending:
      `SELECT ${OUTBOX_ROW_COLUMNS} FROM ${table} ` +
      'WHERE "published_at" IS NULL ORDER BY "id" LIMIT $1',
    markPublished:
      `UPDATE ${table} SET "published_at" = now(), ` +
      '"publish_attempts" = "publish_attempts" + 1 ' +
      'WHERE "id" = ANY($1::bigint[])',
    markFailed:
      `UPDATE ${table} SET "publish_attempts" = "publish_attempts" + 1, ` +
      '"last_error" = $2 WHERE "id" = ANY($1::bigint[])',
    deletePublished:
      `DELETE FROM ${table} WHERE "id" IN (SELECT "id" FROM ${table} ` +
      'WHERE "published_at" < now() - $1::bigint * interval \'1 millisecond\' ' +
      'ORDER BY "id" LIMIT $2)',
  } as const;
}

export type RelayStatements = ReturnType<typeof relayStatements>;
