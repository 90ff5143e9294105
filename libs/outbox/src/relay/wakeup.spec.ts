import { sleep, Wakeup } from './wakeup.js';

describe('Wakeup', () => {
  describe('wait', () => {
    it('resolves when notified', async () => {
      const wakeup = new Wakeup();
      const started = Date.now();

      const waiting = wakeup.wait(10_000, new AbortController().signal);
      wakeup.notify();
      await waiting;

      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('returns at once for a notification that came while nobody waited', async () => {
      const wakeup = new Wakeup();
      wakeup.notify();
      const started = Date.now();

      await wakeup.wait(10_000, new AbortController().signal);

      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('forgets a notification once a wait consumed it', async () => {
      const wakeup = new Wakeup();
      wakeup.notify();
      await wakeup.wait(10_000, new AbortController().signal);
      const started = Date.now();

      await wakeup.wait(30, new AbortController().signal);

      expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    });

    it('resolves when the signal aborts', async () => {
      const wakeup = new Wakeup();
      const controller = new AbortController();

      const waiting = wakeup.wait(10_000, controller.signal);
      controller.abort();

      await expect(waiting).resolves.toBeUndefined();
    });
  });
});

describe('sleep', () => {
  it('resolves early, without rejecting, when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();

    const sleeping = sleep(10_000, controller.signal);
    controller.abort();
    await sleeping;

    expect(Date.now() - started).toBeLessThan(1000);
  });
});
