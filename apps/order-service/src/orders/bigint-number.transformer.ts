import type { ValueTransformer } from 'typeorm';

/**
 * Reads a `bigint` column as a number. pg returns bigint as a string to
 * avoid precision loss; amounts here stay far below 2^53 (see OrderLimits).
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
