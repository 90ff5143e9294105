import { createEnvelope, type MessageContext } from '@mq/core';
import { uniqueName } from '@mq/testing';
import { eventually, QueueHarness } from './support/queue-harness.js';

const TYPE = 'order.created';

let harness: QueueHarness;

beforeEach(async () => {
  harness = new QueueHarness(uniqueName('pghdr'));
  await harness.setup();
});

afterEach(async () => {
  await harness.teardown();
});

// Found by putting a message with a 500 KB correlation id into the queue:
// it was handled, and every message published by its handler (and theirs)
// inherited the 500 KB header.
describe('PostgresServer and oversized headers', () => {
  it('dead-letters a message whose headers are over the limit, and goes on', async () => {
    const seen: string[] = [];
    const server = await harness.startServer(
      { consumerGroup: 'billing', maxHeaderBytes: 4096 },
      {
        [TYPE]: (_: unknown, ctx: MessageContext) =>
          void seen.push(ctx.getEnvelope().id),
      },
    );
    const client = harness.client();
    const huge = createEnvelope(
      TYPE,
      { n: 1 },
      { key: 'k1', headers: { 'correlation-id': 'c'.repeat(20_000) } },
    );
    await client.publishEnvelopes([huge]);
    const fine = await client.publishEvent(TYPE, { n: 2 }, { key: 'k2' });

    await eventually(() => expect(seen).toEqual([fine.id]));
    const [letter] = await eventually(async () => {
      const letters = await server.deadLetters().list();
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter.id).toBe(huge.id);
    expect(letter.metadata).toMatchObject({
      originalDestination: TYPE,
      consumerGroup: 'billing',
      attempts: 1,
      errorName: 'MalformedMessageError',
    });
    expect(letter.metadata.errorMessage).toMatch(
      /headers of \d+ bytes exceed the limit of 4096/,
    );
  });

  it('accepts headers up to the default limit of 16 KiB', async () => {
    const seen: string[] = [];
    await harness.startServer(
      { consumerGroup: 'billing' },
      {
        [TYPE]: (_: unknown, ctx: MessageContext) =>
          void seen.push(ctx.getEnvelope().id),
      },
    );
    const envelope = createEnvelope(
      TYPE,
      { n: 1 },
      { key: 'k', headers: { 'x-note': 'n'.repeat(12_000) } },
    );
    await harness.client().publishEnvelopes([envelope]);

    await eventually(() => expect(seen).toEqual([envelope.id]));
  });
});
