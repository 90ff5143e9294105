import { BadRequestException } from '@nestjs/common';
import { flattenValidationErrors, type FieldViolation } from '@mq/core';
import type { ValidationError } from 'class-validator';

/** Body of a 400 answer to a request that failed validation. */
export interface ValidationFailureBody {
  readonly statusCode: 400;
  readonly message: 'Validation failed';
  /** One entry per failing field: `items[0].quantity`, `customer.email`. */
  readonly errors: readonly FieldViolation[];
}

/**
 * ValidationPipe's `exceptionFactory`: a 400 listing every failing field by
 * its full path, the same paths a dead-lettered message reports.
 */
export function validationExceptionFactory(
  errors: ValidationError[],
): BadRequestException {
  const body: ValidationFailureBody = {
    statusCode: 400,
    message: 'Validation failed',
    errors: flattenValidationErrors(errors),
  };
  return new BadRequestException(body);
}
