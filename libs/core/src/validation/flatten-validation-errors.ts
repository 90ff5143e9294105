import type { ValidationError } from 'class-validator';
import type { FieldViolation } from '../errors/payload-validation.error.js';

/**
 * Turns class-validator's error tree into one entry per failing field, with
 * paths like `customer.email` and `items[2].quantity`.
 */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parentPath = '',
): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const error of errors) {
    const path = joinPath(parentPath, error.property);
    const constraints = Object.values(error.constraints ?? {});
    if (constraints.length > 0) {
      out.push({ path, constraints });
    }
    if (error.children?.length) {
      out.push(...flattenValidationErrors(error.children, path));
    }
  }
  return out;
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) {
    return `${parent}[${property}]`;
  }
  return parent ? `${parent}.${property}` : property;
}
