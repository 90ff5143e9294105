import { NonRetriableError } from './non-retriable.error.js';

/** A message arrived for a pattern no handler is bound to. */
export class NoHandlerError extends NonRetriableError {
  constructor(readonly pattern: string) {
    super(`no handler is bound to pattern "${pattern}"`);
  }
}
