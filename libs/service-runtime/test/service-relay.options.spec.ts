import { OUTBOX_RELAY_DEFAULTS } from '@mq/outbox';
import { serviceRelayOptions } from '../src/outbox/service-relay.options.js';

// Found by stopping the database for 40 s: the three services answered
// /health 503, and their outboxes stayed unpublished, for another 21 s
// after it was back, waiting out the relay's 30 s backoff.
describe('serviceRelayOptions', () => {
  it('retries at least every 5 s, like the transports reconnect', () => {
    const backoff = {
      ...OUTBOX_RELAY_DEFAULTS.backoff,
      ...serviceRelayOptions().backoff,
    };

    expect(backoff.maxDelayMs).toBeLessThanOrEqual(5000);
    expect(backoff.initialDelayMs).toBe(250);
  });
});
