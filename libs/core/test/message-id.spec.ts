import { newMessageId, newTraceparent } from '@mq/core';
import { validate, version } from 'uuid';

describe('newMessageId', () => {
  it('makes valid UUID v7s', () => {
    const id = newMessageId();

    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
  });

  it('sorts ids made one after another in the order they were made', () => {
    // 5,000 ids draw 80 KB of randomness: the pool is refilled many times.
    const ids = Array.from({ length: 5_000 }, () => newMessageId());

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('newTraceparent', () => {
  it('draws fresh trace and span ids each time', () => {
    const traces = Array.from({ length: 1_000 }, () => newTraceparent());

    expect(new Set(traces.map((t) => t.slice(3, 35))).size).toBe(1_000);
    expect(new Set(traces.map((t) => t.slice(36, 52))).size).toBe(1_000);
  });
});
