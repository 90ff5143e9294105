import type { ValueTransformer } from 'typeorm';

/** Reads a `bigint` column (a string from pg) as a number; amounts < 2^53. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
