import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors, type FieldViolation } from '@mq/core';

/**
 * Validates a plain object as `type` the way MessageValidationPipe does and
 * returns one violation per failing field path.
 */
export async function violationsOf<T extends object>(
  type: ClassConstructor<T>,
  plain: object,
): Promise<FieldViolation[]> {
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, { forbidUnknownValues: true });
  return flattenValidationErrors(errors);
}

/** The paths that failed, sorted, for compact assertions. */
export async function failingPaths<T extends object>(
  type: ClassConstructor<T>,
  plain: object,
): Promise<string[]> {
  return (await violationsOf(type, plain)).map((v) => v.path).sort();
}
