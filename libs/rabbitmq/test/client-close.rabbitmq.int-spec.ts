import { MessageRecorder, recordingController } from '@mq/testing';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

describe('RabbitMqClient close', () => {
  let bed: RabbitMqTestBed;

  beforeEach(async () => {
    bed = await RabbitMqTestBed.create();
  });

  afterEach(async () => {
    await bed.dispose();
  });

  it('lets the publishes called before close() finish: each is confirmed or rejects, none is cut off', async () => {
    const handled = new MessageRecorder();
    await bed.startServer({ consumerGroup: 'billing' }, [
      recordingController({ pattern: 'invoice.drafted', handled }),
    ]);
    const client = await bed.startClient();
    // Called, not awaited.
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
    const ids = results.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value.id] : [],
    );
    await handled.waitForIds(ids, 5_000);
  });
});
