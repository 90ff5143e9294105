import {
  IsISO4217CurrencyCode,
  IsUppercase,
  type ValidationOptions,
} from 'class-validator';

/**
 * An assigned ISO 4217 code written in upper case (`EUR`). class-validator's
 * ISO check alone also accepts `eur`; one spelling keeps totals comparable.
 */
export function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    IsISO4217CurrencyCode(options)(target, propertyName);
    IsUppercase(options)(target, propertyName);
  };
}
