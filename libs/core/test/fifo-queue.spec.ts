import { FifoQueue } from '../src/concurrency/fifo-queue.js';

describe('FifoQueue', () => {
  it('gives items back in the order they were pushed', () => {
    const queue = new FifoQueue<number>();
    queue.push(1);
    queue.push(2);
    expect(queue.shift()).toBe(1);
    queue.push(3);

    expect([queue.peek(), queue.length]).toEqual([2, 2]);
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual([
      2,
      3,
      undefined,
    ]);
    expect(queue.length).toBe(0);
  });

  it('keeps the order across the compaction of a long run', () => {
    const queue = new FifoQueue<number>();
    const out: number[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      queue.push(i);
      if (i % 3 !== 0) {
        out.push(queue.shift() as number);
      }
    }
    while (queue.length > 0) {
      out.push(queue.shift() as number);
    }

    expect(out).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });
});
