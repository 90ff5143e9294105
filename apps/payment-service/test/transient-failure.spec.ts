import { isTransientFailure } from '../src/gateway/transient-failure.js';

const orderId = '0190f1c2-7b7e-7c3a-9a51-4f6f2b9d3e10';

describe('isTransientFailure', () => {
  it('never fails at rate 0', () => {
    const settings = { rate: 0, maxFailures: 5 };

    expect(isTransientFailure(settings, orderId, 1, () => 0)).toBe(false);
  });

  it('fails by the random draw below the rate', () => {
    const settings = { rate: 0.3, maxFailures: 5 };

    expect(isTransientFailure(settings, orderId, 1, () => 0.29)).toBe(true);
    expect(isTransientFailure(settings, orderId, 1, () => 0.3)).toBe(false);
  });

  it('lets the attempt after maxFailures through, even at rate 1', () => {
    const settings = { rate: 1, maxFailures: 2 };

    expect(isTransientFailure(settings, orderId, 2)).toBe(true);
    expect(isTransientFailure(settings, orderId, 3)).toBe(false);
  });

  it('is repeatable with a seed and differs between orders', () => {
    const settings = { rate: 0.5, maxFailures: 1000, seed: 'demo' };
    const outcomes = (id: string) =>
      Array.from({ length: 64 }, (_, i) =>
        isTransientFailure(settings, id, i + 1, () => {
          throw new Error('a seeded draw must not use the random source');
        }),
      );

    expect(outcomes(orderId)).toEqual(outcomes(orderId));
    expect(outcomes(orderId)).not.toEqual(outcomes(`${orderId}-other`));
    const failures = outcomes(orderId).filter(Boolean).length;
    expect(failures).toBeGreaterThan(16);
    expect(failures).toBeLessThan(48);
  });
});
