import {
  decodePayload,
  encodePayload,
  PayloadFactory,
} from '../workload/bench-payload.js';
import { MessageTracker } from '../workload/message-tracker.js';
import {
  median,
  perSecond,
  quantile,
  relativeSpread,
} from '../workload/statistics.js';

describe('PayloadFactory', () => {
  it.each([256, 4096])('makes JSON bodies of exactly %i bytes', (size) => {
    const factory = new PayloadFactory('burst-1', size);
    for (const sequence of [0, 7, 12_345, 999_999_999]) {
      expect(encodePayload(factory.next(sequence))).toHaveLength(size);
    }
  });

  it('refuses a size below its own fields', () => {
    expect(() => new PayloadFactory('tag', 40)).toThrow(RangeError);
  });

  it('round-trips through decodePayload with the send time', () => {
    const made = new PayloadFactory('t', 256).next(3);
    const back = decodePayload(encodePayload(made));
    expect(back).toEqual(made);
    expect(Number(back.at)).toBeGreaterThan(Date.now() - 60_000);
  });
});

function payload(tag: string, sequence: number) {
  return new PayloadFactory(tag, 256).next(sequence);
}

describe('MessageTracker', () => {
  it('counts distinct messages of its tag and reports duplicates', async () => {
    const tracker = new MessageTracker();
    tracker.expect('a', 3);
    tracker.record(payload('a', 0));
    tracker.record(payload('other', 1));
    tracker.record(payload('a', 0));
    tracker.record(payload('a', 1));
    tracker.record(payload('a', 2));
    const phase = await tracker.wait(1000);
    expect(phase).toMatchObject({
      received: 3,
      expected: 3,
      timedOut: false,
      duplicates: 1,
    });
    expect(phase.latenciesMs).toHaveLength(3);
    expect(phase.lastAtMs).toBeGreaterThanOrEqual(phase.firstAtMs);
  });

  it('gives up at the timeout with what it has', async () => {
    const tracker = new MessageTracker();
    tracker.expect('a', 2);
    tracker.record(payload('a', 1));
    await expect(tracker.wait(20)).resolves.toMatchObject({
      received: 1,
      timedOut: true,
    });
  });
});

describe('statistics', () => {
  it('takes nearest-rank quantiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('takes medians over finite values only', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
  });

  it('measures the spread between rounds relative to the median', () => {
    expect(relativeSpread([90, 100, 110])).toBeCloseTo(0.2);
    expect(relativeSpread([100])).toBe(0);
  });

  it('turns counts over milliseconds into rates', () => {
    expect(perSecond(500, 250)).toBe(2000);
    expect(perSecond(1, 0)).toBeNaN();
  });
});
