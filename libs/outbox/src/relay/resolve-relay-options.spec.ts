import { OUTBOX_RELAY_DEFAULTS } from './outbox-relay.options.js';
import { resolveRelayOptions } from './resolve-relay-options.js';

describe('resolveRelayOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveRelayOptions()).toMatchObject({
      enabled: true,
      batchSize: 500,
      pollIntervalMs: 1000,
      retentionMs: 7 * 24 * 60 * 60 * 1000,
      cleanupIntervalMs: 60 * 60 * 1000,
      lockRetryMs: 2000,
      shutdownTimeoutMs: 10_000,
      backoff: OUTBOX_RELAY_DEFAULTS.backoff,
    });
  });

  it('merges a partial backoff over the defaults', () => {
    expect(
      resolveRelayOptions({ backoff: { maxDelayMs: 5000 } }).backoff,
    ).toEqual({ initialDelayMs: 250, multiplier: 2, maxDelayMs: 5000 });
  });

  it.each([
    [{ batchSize: 0 }, /batchSize must be an integer 1\.\.10000, got 0/],
    [{ batchSize: 1.5 }, /batchSize/],
    [{ pollIntervalMs: 0 }, /pollIntervalMs/],
    [{ retentionMs: -1 }, /retentionMs/],
    [{ lockRetryMs: Number.NaN }, /lockRetryMs/],
    [{ backoff: { initialDelayMs: 500, maxDelayMs: 100 } }, /maxDelayMs/],
    [{ backoff: { multiplier: 0.5 } }, /multiplier/],
    [{ channel: '' }, /channel/],
  ])('rejects %o', (options, message) => {
    expect(() => resolveRelayOptions(options)).toThrow(message);
  });
});
