import { RetryPolicy } from '@mq/core';
import { delayBucket, delayBucketsOf } from '../src/delay-buckets.js';

describe('delayBucket', () => {
  it('rounds up to the next bucket of the series', () => {
    expect(delayBucket(0)).toBe(10);
    expect(delayBucket(10)).toBe(10);
    expect(delayBucket(11)).toBe(13);
    expect(delayBucket(200)).toBe(200);
    expect(delayBucket(201)).toBe(250);
    expect(delayBucket(999)).toBe(1000);
    expect(delayBucket(60_000)).toBe(60_000);
    expect(delayBucket(61_000)).toBe(80_000);
  });

  it('is never early and at most a third late', () => {
    for (let delay = 10; delay < 2_000_000; delay = Math.ceil(delay * 1.01)) {
      const bucket = delayBucket(delay);
      expect(bucket).toBeGreaterThanOrEqual(delay);
      expect(bucket / delay).toBeLessThanOrEqual(4 / 3 + 1e-9);
    }
  });
});

describe('delayBucketsOf', () => {
  it('covers every delay the policy can draw, with few queues', () => {
    const policy = new RetryPolicy({ maxAttempts: 8, jitter: 0.2 });
    const buckets = delayBucketsOf(policy);
    for (let attempt = 1; attempt < policy.maxAttempts; attempt += 1) {
      for (const random of [0, 0.25, 0.5, 0.75, 0.999]) {
        const draw = new RetryPolicy(
          { maxAttempts: 8, jitter: 0.2 },
          () => random,
        ).delayAfter(attempt);
        expect(buckets).toContain(delayBucket(draw));
      }
    }
    expect(buckets.length).toBeLessThanOrEqual(16);
  });

  it('needs no delay queue when nothing is retried', () => {
    expect(delayBucketsOf(new RetryPolicy({ maxAttempts: 1 }))).toEqual([]);
  });

  it('stops at the cap', () => {
    const policy = new RetryPolicy({
      maxAttempts: 50,
      initialDelayMs: 50,
      multiplier: 1,
      maxDelayMs: 50,
      jitter: 0,
    });
    expect(delayBucketsOf(policy)).toEqual([50]);
  });
});
