import { isEmail, ValidateBy, type ValidationOptions } from 'class-validator';
import { isStorableText } from './is-storable-text.validator.js';

export const IS_EMAIL_ADDRESS = 'isEmailAddress';

/**
 * class-validator's `@IsEmail()`, made safe for hostile input: its
 * `isEmail` throws a URIError on a lone surrogate (`'a\ud800@x.io'`),
 * which turned validation itself into an HTTP 500, or a message retried
 * to its last attempt. Text PostgreSQL cannot store is refused first.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_EMAIL_ADDRESS,
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'string' && isStorableText(value) && isEmail(value),
        defaultMessage: (): string => '$property must be an email',
      },
    },
    options,
  );
}
