import { KeyLayout } from '../src/key-layout.js';
import { trimArguments, validateTrim } from '../src/stream-trim.js';

describe('trimArguments', () => {
  it('is empty without trimming', () => {
    expect(trimArguments(undefined)).toEqual([]);
  });

  it('trims approximately by length', () => {
    expect(trimArguments({ strategy: 'maxlen', maxLength: 1000 })).toEqual([
      'MAXLEN',
      '~',
      '1000',
    ]);
  });

  it('trims approximately by age, as a minimum id', () => {
    const args = trimArguments(
      { strategy: 'minid', maxAgeMs: 60_000 },
      100_000,
    );
    expect(args).toEqual(['MINID', '~', '40000-0']);
  });

  it('refuses a bad threshold, naming the option', () => {
    expect(() => validateTrim({ strategy: 'maxlen', maxLength: 0 })).toThrow(
      'trim.maxLength must be an integer >= 1, got 0',
    );
    expect(() => validateTrim({ strategy: 'minid', maxAgeMs: 1.5 })).toThrow(
      /trim.maxAgeMs/,
    );
  });
});

describe('KeyLayout', () => {
  it('derives every key from the prefix', () => {
    const keys = new KeyLayout('shop');
    const stream = keys.stream('order.created');
    expect(stream).toBe('shop:stream:order.created');
    expect(keys.deadLetters(stream)).toBe('shop:stream:order.created:dlq');
    expect(keys.retrySchedule).toBe('shop:retry');
    expect(keys.retryEntry('r1')).toBe('shop:retry:r1');
    expect(keys.patternOf(stream)).toBe('order.created');
    expect(keys.patternOf('other:stream:x')).toBeUndefined();
    expect(keys.isDeadLetterStream('shop:stream:order.created:dlq')).toBe(true);
    expect(keys.isDeadLetterStream('shop:retry')).toBe(false);
  });
});
