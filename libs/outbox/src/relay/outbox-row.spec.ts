import { JsonCodec } from '@mq/core';
import { describeIds, toEnvelope, type OutboxRow } from './outbox-row.js';

function row(id: number): OutboxRow {
  return {
    id: String(id),
    message_id: `m-${id}`,
    type: 't',
    key: 'k',
    headers: { 'correlation-id': 'c' },
    payload: JsonCodec.encode({ at: new Date(0) }).toString('utf8'),
    occurred_at: new Date('2025-06-01T10:00:00.123Z'),
  };
}

describe('toEnvelope', () => {
  it('rebuilds the envelope, decoding the payload with JsonCodec', () => {
    const envelope = toEnvelope(row(7));

    expect(envelope).toMatchObject({
      id: 'm-7',
      type: 't',
      key: 'k',
      occurredAt: '2025-06-01T10:00:00.123Z',
      headers: { 'correlation-id': 'c' },
    });
    expect((envelope.payload as { at: Date }).at).toEqual(new Date(0));
  });
});

describe('describeIds', () => {
  it('lists a few ids', () => {
    expect(describeIds([row(1), row(2), row(5)])).toBe('1, 2, 5');
  });

  it('gives the range of many ids', () => {
    const rows = Array.from({ length: 12 }, (_, n) => row(n + 1));

    expect(describeIds(rows)).toBe('1 .. 12 (12 rows)');
  });
});
