import { ValidateBy, type ValidationOptions } from 'class-validator';

export const IS_STORABLE_TEXT = 'isStorableText';

/** A UTF-16 surrogate without its other half. */
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True for a string PostgreSQL can store; see `IsStorableText`. */
export function isStorableText(value: string): boolean {
  return !value.includes('\0') && !LONE_SURROGATE.test(value);
}

/**
 * The string is text PostgreSQL can store: no NUL character (`text` and
 * `jsonb` refuse it) and no lone surrogate (`jsonb` refuses it, `text`
 * silently turns it into U+FFFD). Without this such a value passes
 * validation and fails in the database: an HTTP 500, or a message retried
 * to its last attempt.
 */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_STORABLE_TEXT,
      validator: {
        validate: (value: unknown): boolean =>
          typeof value !== 'string' || isStorableText(value),
        defaultMessage: (): string =>
          '$property must be valid Unicode text without NUL characters',
      },
    },
    options,
  );
}
