import type { QueryResult, QueryResultRow } from 'pg';

/**
 * Anything that runs a parameterised query: a `pg.Pool`, a `pg.Client` or
 * a pooled client inside a transaction of your own.
 */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<QueryResult<R>>;
}
