import type { LoggerService } from '@nestjs/common';
import { QueryFailedError, type Logger as TypeOrmLogger } from 'typeorm';
import { SafeConsoleLogger } from '../src/logging/safe-console.logger.js';
import { TypeOrmNestLogger } from '../src/logging/typeorm-nest.logger.js';

const EMAIL = 'ada@example.com';
const INSERT =
  'INSERT INTO "orders"("id", "customer_email", "customer_name") ' +
  'VALUES ($1, $2, $3)';

/** A failed insert as TypeORM reports it: values in `parameters`. */
function failedInsert(): QueryFailedError {
  const driverError = Object.assign(
    new Error('invalid byte sequence for encoding "UTF8": 0x00'),
    { detail: `Failing row contains (1, ${EMAIL}, Ada).` },
  );
  return new QueryFailedError(INSERT, ['1', EMAIL, 'Ada'], driverError);
}

/** Everything written to stdout and stderr while `run` runs. */
function captureOutput(run: () => void): string {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    written.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.join('');
}

function recordingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const record = (message: unknown) => void lines.push(String(message));
  return {
    lines,
    log: record,
    error: record,
    warn: record,
    debug: record,
    verbose: record,
  };
}

// Found by failing a query in a running service: its log then held the
// customer's e-mail and name, twice.
describe('SafeConsoleLogger', () => {
  describe('error', () => {
    it('prints an error with its message and stack, not its properties', () => {
      const logger = new SafeConsoleLogger('ExceptionsHandler', {
        colors: false,
      });

      const output = captureOutput(() => logger.error(failedInsert()));

      expect(output).toContain('QueryFailedError: invalid byte sequence');
      expect(output).toContain('ExceptionsHandler');
      expect(output).not.toContain(EMAIL);
      expect(output).not.toContain('Ada');
    });

    it('still prints plain messages, stacks and contexts', () => {
      const logger = new SafeConsoleLogger('Test', { colors: false });

      const output = captureOutput(() =>
        logger.error('handler failed for id=1', 'at x (y.js:1)', 'Relay'),
      );

      expect(output).toContain('handler failed for id=1');
      expect(output).toContain('at x (y.js:1)');
      expect(output).toContain('[Relay]');
    });
  });
});

describe('TypeOrmNestLogger', () => {
  describe('logQueryError', () => {
    it('logs the error and the SQL text, never the parameters', () => {
      const target = recordingLogger();
      // Called the way TypeORM calls it, parameters included.
      const logger: TypeOrmLogger = new TypeOrmNestLogger(target);

      logger.logQueryError(failedInsert(), INSERT, ['1', EMAIL, 'Ada']);

      expect(target.lines).toHaveLength(1);
      expect(target.lines[0]).toContain('invalid byte sequence');
      expect(target.lines[0]).toContain('INSERT INTO "orders"');
      expect(target.lines[0]).not.toContain(EMAIL);
      expect(target.lines[0]).not.toContain('Ada');
    });
  });

  describe('logQuery', () => {
    it('logs nothing for a successful query', () => {
      const target = recordingLogger();

      const logger: TypeOrmLogger = new TypeOrmNestLogger(target);
      logger.logQuery(INSERT, ['1', EMAIL, 'Ada']);

      expect(target.lines).toEqual([]);
    });
  });

  describe('logQuerySlow', () => {
    it('names the time and the SQL, not the parameters', () => {
      const target = recordingLogger();

      const logger: TypeOrmLogger = new TypeOrmNestLogger(target);
      logger.logQuerySlow(1500, INSERT, [EMAIL]);

      expect(target.lines[0]).toMatch(/1500 ms .*INSERT INTO "orders"/);
      expect(target.lines[0]).not.toContain(EMAIL);
    });
  });
});
