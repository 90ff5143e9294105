import {
  killClientNamed,
  pendingCount,
  RedisStreamsTestbed,
  sleep,
  waitUntil,
} from './redis-streams.test-support.js';

const MESSAGES = 300;

describe('RedisStreamsServer with its read connection killed under load', () => {
  let bed: RedisStreamsTestbed;

  beforeEach(() => {
    bed = new RedisStreamsTestbed();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('handles every entry and ends with nothing pending while reads carrying acks are cut again and again', async () => {
    const client = await bed.client();
    const stream = bed.stream('invoice.settled');
    const server = await bed.startServer(
      // Entries a lost read left pending come back after a second.
      {
        consumerGroup: 'ledger',
        concurrency: 8,
        visibilityTimeoutMs: 1_000,
        claimIntervalMs: 250,
      },
      ['invoice.settled'],
      () => sleep(1),
    );
    const published: string[] = [];
    const publishing = (async () => {
      for (let i = 0; i < MESSAGES; i += 1) {
        const envelope = await client.publishEvent(
          'invoice.settled',
          { i },
          { key: `inv-${i % 5}` },
        );
        published.push(envelope.id);
      }
    })();

    let kills = 0;
    while (kills < 10) {
      kills += await killClientNamed(
        bed.admin,
        `${server.connectionName}:reader`,
      );
      await sleep(30);
    }
    await publishing;

    const missing = () => {
      const handled = new Set(bed.handledIds('ledger'));
      return published.filter((id) => !handled.has(id));
    };
    await waitUntil(() => expect(missing()).toEqual([]), 8_000);
    await waitUntil(
      async () => (await pendingCount(bed.admin, stream, 'ledger')) === 0,
      5_000,
    );
    // Nothing new arrives that is left undone.
    await sleep(200);
    expect(await pendingCount(bed.admin, stream, 'ledger')).toBe(0);
  }, 15_000);
});
