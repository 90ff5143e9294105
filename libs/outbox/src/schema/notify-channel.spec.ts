import { defaultNotifyChannel } from './notify-channel.js';

describe('defaultNotifyChannel', () => {
  it('names the channel after the schema', () => {
    expect(defaultNotifyChannel('orders')).toBe('orders_outbox');
  });

  it('falls back to public without a schema', () => {
    expect(defaultNotifyChannel(undefined)).toBe('public_outbox');
  });

  it('stays within the 63 bytes PostgreSQL keeps of a name', () => {
    const channel = defaultNotifyChannel('ü'.repeat(40));

    expect(Buffer.byteLength(channel)).toBeLessThanOrEqual(63);
    expect(channel.startsWith('üü')).toBe(true);
  });
});
