import type { RetryPolicyOptions } from '@mq/core';

/** Retries that keep a case fast: three deliveries, 50 ms apart. */
export const FAST_RETRY = {
  maxAttempts: 3,
  initialDelayMs: 50,
  multiplier: 1,
  maxDelayMs: 50,
  jitter: 0,
} as const satisfies RetryPolicyOptions;

/** Server options every case starts from. */
export const SUITE_SERVER_DEFAULTS = {
  concurrency: 4,
  handlerTimeoutMs: 5_000,
  shutdownTimeoutMs: 3_000,
  retry: FAST_RETRY,
} as const;

/** How long a case waits for something that should happen soon. */
export const WAIT_MS = 10_000;

/**
 * How long a case watches for something that must not happen (a second
 * delivery, a retry): several retry delays, so a mistake has time to show.
 */
export const QUIET_MS = 400;

/** Time limit of one case unless it sets its own. */
export const CASE_TIMEOUT_MS = 30_000;
