import { RetryPolicy } from '@mq/core';

describe('RetryPolicy', () => {
  describe('delayAfter', () => {
    it('grows exponentially from the initial delay and stops at the cap', () => {
      const policy = new RetryPolicy(
        { initialDelayMs: 100, multiplier: 2, maxDelayMs: 500, jitter: 0 },
        () => 0.5,
      );
      expect([1, 2, 3, 4, 5].map((a) => policy.delayAfter(a))).toEqual([
        100, 200, 400, 500, 500,
      ]);
    });

    it('draws the jittered delay from [d * (1 - jitter), d]', () => {
      const low = new RetryPolicy(
        { initialDelayMs: 1000, jitter: 0.5 },
        () => 1,
      );
      const high = new RetryPolicy(
        { initialDelayMs: 1000, jitter: 0.5 },
        () => 0,
      );
      expect(low.delayAfter(1)).toBe(500);
      expect(high.delayAfter(1)).toBe(1000);
    });
  });

  describe('decide', () => {
    const policy = new RetryPolicy({ maxAttempts: 3, jitter: 0 });

    it('retries a retriable failure before the last attempt', () => {
      expect(policy.decide(1, true)).toEqual({
        action: 'retry',
        delayMs: 1000,
      });
      expect(policy.decide(2, true)).toEqual({
        action: 'retry',
        delayMs: 2000,
      });
    });

    it('dead-letters after the last attempt', () => {
      expect(policy.decide(3, true)).toEqual({
        action: 'dead-letter',
        reason: 'attempts-exhausted',
      });
    });

    it('dead-letters a non-retriable failure at once', () => {
      expect(policy.decide(1, false)).toEqual({
        action: 'dead-letter',
        reason: 'non-retriable',
      });
    });
  });

  describe('constructor', () => {
    it.each([
      [{ maxAttempts: 0 }, /maxAttempts/],
      [{ maxAttempts: 1.5 }, /maxAttempts/],
      [{ multiplier: 0.5 }, /multiplier/],
      [{ jitter: 2 }, /jitter/],
      [{ initialDelayMs: 10, maxDelayMs: 5 }, /maxDelayMs/],
      [{ initialDelayMs: -1 }, /initialDelayMs/],
    ])('rejects %o with a message naming the option', (options, pattern) => {
      expect(() => new RetryPolicy(options)).toThrow(pattern);
    });
  });
});
