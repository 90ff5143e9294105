import { PublishesInFlight } from '@mq/core';

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('PublishesInFlight', () => {
  it('passes each publish outcome through and forgets it once settled', async () => {
    const inFlight = new PublishesInFlight();

    const ok = inFlight.track(Promise.resolve('sent'));
    const failed = inFlight.track(Promise.reject(new Error('refused')));
    expect(inFlight.size).toBe(2);

    await expect(ok).resolves.toBe('sent');
    await expect(failed).rejects.toThrow('refused');
    expect(inFlight.size).toBe(0);
  });

  it('settles once every tracked publish has, failed ones included', async () => {
    const inFlight = new PublishesInFlight();
    const slowGate = gate();
    const slow = inFlight.track(slowGate.promise);
    const failed = inFlight.track(Promise.reject(new Error('refused')));
    failed.catch(() => undefined);
    let done = false;
    const settled = inFlight.settled().then((all) => (done = all));

    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    slowGate.open();
    await slow;
    await settled;

    expect(done).toBe(true);
  });

  it('gives up after timeoutMs and says so', async () => {
    const inFlight = new PublishesInFlight();
    void inFlight.track(new Promise<void>(() => undefined));

    await expect(inFlight.settled(20)).resolves.toBe(false);
    await expect(new PublishesInFlight().settled(20)).resolves.toBe(true);
  });
});
