import { RedisStreamsTestbed } from './redis-streams.test-support.js';

describe('RedisStreamsClient close', () => {
  let bed: RedisStreamsTestbed;

  beforeEach(() => {
    bed = new RedisStreamsTestbed();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('lets the publishes called before close() finish: each is stored or rejects, none is cut off by the close', async () => {
    const client = await bed.client();
    const stream = bed.stream('invoice.drafted');
    // Called, not awaited: they wait for the end of this turn's pipeline.
    const publishes = Array.from({ length: 20 }, (_, i) =>
      client.publishEvent('invoice.drafted', { i }, { key: `inv-${i}` }),
    );
    const settled = Promise.allSettled(publishes);
    await client.close();

    const results = await settled;
    const rejected = results.flatMap((result) =>
      result.status === 'rejected' ? [String(result.reason)] : [],
    );
    expect(rejected).toEqual([]);
    expect(await bed.admin.xlen(stream)).toBe(20);
  });
});
