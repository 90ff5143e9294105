/** How failed deliveries are retried. All delays are in milliseconds. */
export interface RetryPolicyOptions {
  /**
   * Deliveries in all, the first one included; after the last one fails the
   * message is dead-lettered. Must be at least 1.
   * @default 5
   */
  maxAttempts?: number;
  /** Delay before the first retry. @default 1000 */
  initialDelayMs?: number;
  /** Growth factor per attempt, at least 1. @default 2 */
  multiplier?: number;
  /** Upper bound for one delay. @default 60000 */
  maxDelayMs?: number;
  /**
   * Share of the delay that is randomised, from 0 (none) to 1 ("full
   * jitter"): the delay is drawn from [d * (1 - jitter), d].
   * @default 0.2
   */
  jitter?: number;
}

export type RetryDecision =
  | { readonly action: 'retry'; readonly delayMs: number }
  | {
      readonly action: 'dead-letter';
      readonly reason: 'attempts-exhausted' | 'non-retriable';
    };

/** Exponential backoff with jitter and a cap, plus the give-up rule. */
export class RetryPolicy {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly multiplier: number;
  readonly maxDelayMs: number;
  readonly jitter: number;

  constructor(
    options: RetryPolicyOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.initialDelayMs = options.initialDelayMs ?? 1000;
    this.multiplier = options.multiplier ?? 2;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.jitter = options.jitter ?? 0.2;
    this.validate();
  }

  /** The delay before delivery number `attempt + 1`, after `attempt` failed. */
  delayAfter(attempt: number): number {
    const exponent = Math.max(0, attempt - 1);
    const base = Math.min(
      this.maxDelayMs,
      this.initialDelayMs * this.multiplier ** exponent,
    );
    const spread = base * this.jitter * this.random();
    return Math.round(base - spread);
  }

  /** What to do after delivery number `attempt` failed. */
  decide(attempt: number, retriable: boolean): RetryDecision {
    if (!retriable) {
      return { action: 'dead-letter', reason: 'non-retriable' };
    }
    if (attempt >= this.maxAttempts) {
      return { action: 'dead-letter', reason: 'attempts-exhausted' };
    }
    return { action: 'retry', delayMs: this.delayAfter(attempt) };
  }

  private validate(): void {
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      fail('maxAttempts', 'must be an integer >= 1', this.maxAttempts);
    }
    if (!(this.initialDelayMs >= 0)) {
      fail('initialDelayMs', 'must be >= 0', this.initialDelayMs);
    }
    if (!(this.multiplier >= 1)) {
      fail('multiplier', 'must be >= 1', this.multiplier);
    }
    if (!(this.maxDelayMs >= this.initialDelayMs)) {
      fail('maxDelayMs', 'must be >= initialDelayMs', this.maxDelayMs);
    }
    if (!(this.jitter >= 0 && this.jitter <= 1)) {
      fail('jitter', 'must be between 0 and 1', this.jitter);
    }
  }
}

function fail(option: string, rule: string, value: number): never {
  throw new RangeError(`RetryPolicy: ${option} ${rule}, got ${value}`);
}
