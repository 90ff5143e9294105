import { InvalidIdentifierError } from '../errors/invalid-identifier.error.js';
import { MAX_IDENTIFIER_LENGTH } from '../postgres.constants.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Checks a name that is put into SQL text (schemas and channels cannot be
 * bound as parameters) and returns it double-quoted.
 */
export function quoteIdentifier(option: string, value: string): string {
  if (
    typeof value !== 'string' ||
    value.length > MAX_IDENTIFIER_LENGTH ||
    !IDENTIFIER.test(value)
  ) {
    throw new InvalidIdentifierError(option, value);
  }
  return `"${value}"`;
}
