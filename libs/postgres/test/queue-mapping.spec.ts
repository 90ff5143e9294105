import { createEnvelope, HeaderNames, MessageTooLargeError } from '@mq/core';
import { toInboundDelivery } from '../src/consume/claimed-delivery.js';
import { InvalidIdentifierError } from '../src/errors/invalid-identifier.error.js';
import { toQueueRows } from '../src/publish/queue-row.js';
import { QueueSchema } from '../src/schema/queue-schema.js';

describe('QueueSchema', () => {
  it('quotes the default schema and derives the channel from it', () => {
    const schema = new QueueSchema();
    expect(schema.deliveries).toBe('"mq".deliveries');
    expect(schema.channel).toBe('mq_messages');
  });

  it.each([
    'Orders',
    'a-b',
    'x"; DROP TABLE y; --',
    '',
    '1abc',
    'a'.repeat(64),
  ])('refuses the schema name %j', (name) => {
    expect(() => new QueueSchema({ schema: name })).toThrow(
      InvalidIdentifierError,
    );
  });

  it('names the option that holds a bad channel', () => {
    expect(() => new QueueSchema({ listenChannel: 'no spaces' })).toThrow(
      /listenChannel "no spaces"/,
    );
  });
});

describe('toQueueRows', () => {
  it('refuses the whole batch when one body is over the limit', () => {
    const small = createEnvelope('t', { a: 1 }, { key: 'k' });
    const big = createEnvelope('t', { a: 'x'.repeat(200) }, { key: 'k' });
    expect(() => toQueueRows([small, big], 100)).toThrow(MessageTooLargeError);
  });

  // A 3,000-byte key failed the insert on the key index with a bare
  // "index row size exceeds btree maximum"; from an outbox relay it
  // failed every batch after it.
  it('refuses a key over 1024 bytes, naming the message', () => {
    const long = createEnvelope('t', {}, { key: 'k'.repeat(1025) });
    expect(() => toQueueRows([long])).toThrow(
      /t has a key of 1025 bytes, over the limit of 1024/,
    );
    const fits = createEnvelope('t', {}, { key: 'k'.repeat(1024) });
    expect(toQueueRows([fits])).toHaveLength(1);
  });

  it('refuses an id that is not a UUID', () => {
    const envelope = createEnvelope('t', {}, { key: 'k', id: 'order-1' });
    expect(() => toQueueRows([envelope])).toThrow(/not a UUID/);
  });

  it('keeps the envelope fields in the headers', () => {
    const envelope = createEnvelope('t', { a: 1 }, { key: 'k' });
    const [row] = toQueueRows([envelope]);
    expect(row.headers[HeaderNames.id]).toBe(envelope.id);
    expect(row.headers[HeaderNames.key]).toBe('k');
    expect(row.body.toString()).toBe('{"a":1}');
  });
});

describe('toInboundDelivery', () => {
  const row = {
    id: '7',
    messageId: '0190b8a0-0000-7000-8000-000000000000',
    type: 'order.created',
    key: 'k',
    attempts: 3,
    firstFailedAt: new Date('2024-01-01T00:00:00.000Z'),
    headers: { [HeaderNames.attempt]: '1', other: 42 },
    body: Buffer.from('{}'),
  };

  it('takes the attempt and first failure from the row', () => {
    const delivery = toInboundDelivery(row);
    expect(delivery.attempt).toBe(3);
    expect(delivery.headers[HeaderNames.attempt]).toBe('3');
    expect(delivery.headers[HeaderNames.firstFailedAt]).toBe(
      '2024-01-01T00:00:00.000Z',
    );
    expect(delivery.headers.other).toBe('42');
    expect(delivery.destination).toBe('order.created');
  });

  it('drops a stale first-failure header when the row has none', () => {
    const delivery = toInboundDelivery({
      ...row,
      firstFailedAt: null,
      headers: { [HeaderNames.firstFailedAt]: '2020-01-01T00:00:00.000Z' },
    });
    expect(delivery.headers[HeaderNames.firstFailedAt]).toBeUndefined();
  });
});
