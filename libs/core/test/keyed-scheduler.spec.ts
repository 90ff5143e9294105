import { KeyedScheduler } from '@mq/core';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedScheduler', () => {
  describe('schedule', () => {
    it('runs tasks of one key strictly in order, one at a time', async () => {
      const scheduler = new KeyedScheduler(8);
      const log: string[] = [];
      let running = 0;
      let maxRunning = 0;
      const tasks = [30, 5, 10, 1].map((ms, i) =>
        scheduler.schedule('same', async () => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await tick(ms);
          log.push(`m${i}`);
          running -= 1;
        }),
      );
      await Promise.all(tasks);
      expect(log).toEqual(['m0', 'm1', 'm2', 'm3']);
      expect(maxRunning).toBe(1);
    });

    it('runs different keys in parallel up to the limit', async () => {
      const scheduler = new KeyedScheduler(3);
      let running = 0;
      let maxRunning = 0;
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          scheduler.schedule(`k${i}`, async () => {
            running += 1;
            maxRunning = Math.max(maxRunning, running);
            await tick(10);
            running -= 1;
          }),
        ),
      );
      expect(maxRunning).toBe(3);
    });

    it('rejects with the task error and goes on with the next task of the key', async () => {
      const scheduler = new KeyedScheduler(1);
      const first = scheduler.schedule('k', () =>
        Promise.reject(new Error('boom')),
      );
      const second = scheduler.schedule('k', () => Promise.resolve());
      await expect(first).rejects.toThrow('boom');
      await expect(second).resolves.toBeUndefined();
      expect(scheduler.pending).toBe(0);
    });
  });

  describe('whenBelow', () => {
    it('waits until enough tasks have finished', async () => {
      const scheduler = new KeyedScheduler(2);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      void scheduler.schedule('a', () => gate);
      void scheduler.schedule('b', () => gate);
      let resumed = false;
      const waiting = scheduler.whenBelow(2).then(() => (resumed = true));
      await tick(5);
      expect(resumed).toBe(false);
      release();
      await waiting;
      expect(resumed).toBe(true);
    });
  });

  describe('constructor', () => {
    it('rejects a concurrency below 1', () => {
      expect(() => new KeyedScheduler(0)).toThrow(/concurrency/);
    });
  });
});
