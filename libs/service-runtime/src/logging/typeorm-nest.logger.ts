import { Logger, type LoggerService } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** Longest SQL text quoted in a log line. */
const MAX_SQL_LENGTH = 500;

/**
 * TypeORM's logger for the services: query errors, slow queries and
 * warnings go to the Nest logger with the SQL text, never with the query's
 * parameters, which hold customers' e-mails, names and payloads (TypeORM's
 * own loggers print them). Successful queries are not logged.
 */
export class TypeOrmNestLogger implements TypeOrmLogger {
  constructor(private readonly logger: LoggerService = new Logger('TypeORM')) {}

  logQuery(): void {
    // Every query of every message would drown the log.
  }

  logQueryError(error: string | Error, query: string): void {
    const reason = typeof error === 'string' ? error : error.message;
    this.logger.error(`query failed: ${reason} (SQL: ${sql(query)})`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`query took ${time} ms (SQL: ${sql(query)})`);
  }

  logSchemaBuild(message: string): void {
    this.logger.debug?.(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = String(message);
    if (level === 'warn') {
      this.logger.warn(text);
    } else {
      this.logger.log(text);
    }
  }
}

function sql(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SQL_LENGTH
    ? `${flat.slice(0, MAX_SQL_LENGTH)}...`
    : flat;
}
