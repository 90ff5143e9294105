import { uniqueName } from '@mq/testing';
import { eventually, QueueHarness } from './support/queue-harness.js';

const TYPE = 'order.created';

let harness: QueueHarness;

beforeEach(async () => {
  harness = new QueueHarness(uniqueName('pgsub'));
  await harness.setup();
});

afterEach(async () => {
  await harness.teardown();
});

describe('PostgresClient subscriptions', () => {
  it('keeps what it publishes for declared groups that never listened yet', async () => {
    const client = harness.client({ subscriptions: { billing: [TYPE] } });
    await client.publishEvent(TYPE, { n: 1 }, { key: 'k' });

    const handled: unknown[] = [];
    await harness.startServer(
      { consumerGroup: 'billing' },
      { [TYPE]: (payload: unknown) => void handled.push(payload) },
    );

    await eventually(() => expect(handled).toEqual([{ n: 1 }]));
  });

  it('without them, a group that never listened gets nothing', async () => {
    await harness.client().publishEvent(TYPE, { n: 1 }, { key: 'k' });

    expect(await harness.count(harness.schema.deliveries)).toBe(0);
  });
});
