import { ConsoleLogger } from '@nestjs/common';
import { redactError } from './redact-errors.js';

/**
 * Nest's ConsoleLogger, except that an Error passed as a message or a
 * parameter is printed as its stack only (see `redactError`): the
 * exception handlers log every unknown error that way, and a failed
 * query's error holds the values it was given.
 */
export class SafeConsoleLogger extends ConsoleLogger {
  override log(message: unknown, ...rest: unknown[]): void {
    super.log(redactError(message), ...rest.map(redactError));
  }

  override error(message: unknown, ...rest: unknown[]): void {
    super.error(redactError(message), ...rest.map(redactError));
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    super.warn(redactError(message), ...rest.map(redactError));
  }

  override debug(message: unknown, ...rest: unknown[]): void {
    super.debug(redactError(message), ...rest.map(redactError));
  }

  override verbose(message: unknown, ...rest: unknown[]): void {
    super.verbose(redactError(message), ...rest.map(redactError));
  }

  override fatal(message: unknown, ...rest: unknown[]): void {
    super.fatal(redactError(message), ...rest.map(redactError));
  }
}
