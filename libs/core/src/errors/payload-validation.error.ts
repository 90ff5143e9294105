import { NonRetriableError } from './non-retriable.error.js';

/** One failing field: its path (`items[0].quantity`) and the broken rules. */
export interface FieldViolation {
  readonly path: string;
  readonly constraints: readonly string[];
}

/** A payload failed its class-validator rules. Never retried. */
export class PayloadValidationError extends NonRetriableError {
  constructor(
    readonly messageType: string,
    readonly violations: readonly FieldViolation[],
  ) {
    super(
      `payload of ${messageType} is invalid: ` +
        violations
          .map((v) => `${v.path} (${v.constraints.join('; ')})`)
          .join(', '),
    );
  }
}
