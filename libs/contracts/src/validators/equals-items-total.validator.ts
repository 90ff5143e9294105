import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { orderTotal, type PricedLine } from '../shared/order-total.js';

export const EQUALS_ITEMS_TOTAL = 'equalsItemsTotal';

/**
 * The decorated total must equal the sum of quantity x unitPrice over the
 * object's `items`. When the items themselves are malformed the rule passes
 * and lets their own rules report, rather than adding a confusing second
 * error on the total.
 */
export function EqualsItemsTotal(
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: EQUALS_ITEMS_TOTAL,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const items = (args.object as { items?: unknown }).items;
          if (!isPricedLines(items)) {
            return true;
          }
          return value === orderTotal(items);
        },
        defaultMessage(args: ValidationArguments): string {
          return `${args.property} must equal the sum of quantity x unitPrice of items`;
        },
      },
    });
  };
}

function isPricedLines(value: unknown): value is PricedLine[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        Number.isInteger((item as PricedLine).quantity) &&
        Number.isInteger((item as PricedLine).unitPrice),
    )
  );
}
