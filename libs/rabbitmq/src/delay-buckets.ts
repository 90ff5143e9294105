import type { RetryPolicy } from '@mq/core';

/** Steps per decade of the bucket series: ..., 100, 125, 150, 200, 250, ... */
const STEPS = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8] as const;

/** The shortest delay queue; shorter delays wait this long. */
export const MIN_DELAY_BUCKET_MS = 10;

/**
 * Rounds a retry delay up to the next value of a fixed series (steps at
 * most a third apart), which bounds the number of delay queues: one per
 * bucket the retry policy can reach, not one per jittered delay. Rounding
 * up means a retry never comes earlier than the policy asks, and at most a
 * third later.
 */
export function delayBucket(delayMs: number): number {
  for (const bucket of series()) {
    if (bucket >= delayMs) {
      return bucket;
    }
  }
  throw new RangeError(`delayBucket: ${delayMs} is not a finite delay`);
}

/** Every bucket a policy's retry delays can round to, in ascending order. */
export function delayBucketsOf(policy: RetryPolicy): number[] {
  const buckets = new Set<number>();
  for (let attempt = 1; attempt < policy.maxAttempts; attempt += 1) {
    const base = Math.min(
      policy.maxDelayMs,
      policy.initialDelayMs * policy.multiplier ** (attempt - 1),
    );
    const low = delayBucket(Math.round(base * (1 - policy.jitter)));
    const high = delayBucket(Math.round(base));
    for (const bucket of series()) {
      if (bucket > high) {
        break;
      }
      if (bucket >= low) {
        buckets.add(bucket);
      }
    }
    if (base >= policy.maxDelayMs) {
      break;
    }
  }
  return [...buckets].sort((a, b) => a - b);
}

function* series(): Generator<number> {
  for (let decade = MIN_DELAY_BUCKET_MS; decade < 1e15; decade *= 10) {
    for (const step of STEPS) {
      yield Math.round(decade * step);
    }
  }
}
