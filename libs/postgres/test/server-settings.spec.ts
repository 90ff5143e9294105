import { resolveServerSettings } from '../src/server-settings.js';
import { WakeSignal } from '../src/consume/wake-signal.js';

const base = { connection: 'postgres://localhost/db', consumerGroup: 'g' };

describe('resolveServerSettings', () => {
  it('applies the documented defaults', () => {
    expect(resolveServerSettings(base, 30_000)).toEqual({
      pollIntervalMs: 1000,
      leaseMs: 60_000,
      batchSize: 32,
      migrate: true,
      retentionMs: 7 * 24 * 60 * 60 * 1000,
      cleanupIntervalMs: 60_000,
      synchronousAcks: true,
    });
  });

  it('keeps the default lease at twice a long handler timeout', () => {
    expect(resolveServerSettings(base, 90_000).leaseMs).toBe(180_000);
  });

  it.each([
    ['pollIntervalMs', 0],
    ['leaseMs', -1],
    ['batchSize', 2.5],
    ['retentionMs', Number.NaN],
  ])('names the bad option %s', (option, value) => {
    expect(() =>
      resolveServerSettings({ ...base, [option]: value }, 1000),
    ).toThrow(new RegExp(`PostgresServer: ${option} must be`));
  });

  it('refuses a consumer group too long for a NOTIFY payload', () => {
    const consumerGroup = 'g'.repeat(300);
    expect(() =>
      resolveServerSettings({ ...base, consumerGroup }, 1000),
    ).toThrow(/consumerGroup/);
  });
});

describe('WakeSignal', () => {
  it('does not sleep through a wake that came while busy', async () => {
    const signal = new WakeSignal();
    signal.reset();
    signal.wake();
    const started = Date.now();
    await signal.sleep(10_000);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('ends a sleep early on wake, and every sleep after stop', async () => {
    const signal = new WakeSignal();
    const sleeping = signal.sleep(10_000);
    signal.wake();
    await sleeping;
    signal.reset();
    signal.stop();
    await signal.sleep(10_000);
    await signal.whenStopped;
    expect(signal.isRequested).toBe(false);
  });
});
