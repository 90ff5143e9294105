import {
  compareIds,
  decodeEntry,
  encodeEntryFields,
  entryFields,
  headerAttempt,
} from '../src/stream-entry.js';

/** What ioredis returns for an entry read with a Buffer command. */
function asReply(id: string, fields: Array<string | Buffer>): unknown {
  return [Buffer.from(id), fields.map((field) => Buffer.from(field))];
}

describe('stream entry encoding', () => {
  describe('encodeEntryFields', () => {
    it('lists the headers, then the target group, then the raw body', () => {
      const body = Buffer.from([0xff, 0x00, 0x7b]);
      const fields = encodeEntryFields({ 'mq-id': 'm1', a: 'b' }, body, 'g');
      expect(fields.slice(0, 6)).toEqual([
        'mq-id',
        'm1',
        'a',
        'b',
        'mq-target-group',
        'g',
      ]);
      expect(fields[6]).toBe('body');
      expect(fields[7]).toBe(body);
    });

    it('refuses a header named like a transport field', () => {
      expect(() => encodeEntryFields({ body: 'x' }, Buffer.alloc(0))).toThrow(
        /reserved/,
      );
    });
  });

  describe('decodeEntry', () => {
    it('splits headers, body bytes and target group', () => {
      const body = Buffer.from([0xc3, 0x28]);
      const entry = decodeEntry(
        asReply('5-1', ['mq-id', 'm1', 'mq-target-group', 'g', 'body', body]),
      );
      expect(entry).toEqual({
        id: '5-1',
        headers: { 'mq-id': 'm1' },
        body,
        targetGroup: 'g',
      });
    });

    it('returns undefined for an entry deleted while pending (no fields)', () => {
      expect(decodeEntry([Buffer.from('5-1'), null])).toBeUndefined();
    });

    it('round-trips with entryFields, overriding headers', () => {
      const entry = decodeEntry(
        asReply('1-0', ['mq-attempt', '1', 'body', '{}']),
      )!;
      expect(entryFields(entry, { 'mq-attempt': '2' }, 'g')).toEqual([
        'mq-attempt',
        '2',
        'mq-target-group',
        'g',
        'body',
        Buffer.from('{}'),
      ]);
    });
  });

  describe('headerAttempt', () => {
    it('reads mq-attempt and falls back to 1', () => {
      const base = { id: '1-0', body: Buffer.alloc(0) };
      expect(headerAttempt({ ...base, headers: { 'mq-attempt': '3' } })).toBe(
        3,
      );
      expect(headerAttempt({ ...base, headers: {} })).toBe(1);
      expect(headerAttempt({ ...base, headers: { 'mq-attempt': 'x' } })).toBe(
        1,
      );
    });
  });

  describe('compareIds', () => {
    it('orders by milliseconds, then sequence, numerically', () => {
      expect(compareIds('10-0', '9-5')).toBe(1);
      expect(compareIds('9-10', '9-9')).toBe(1);
      expect(compareIds('9-1', '9-1')).toBe(0);
      expect(compareIds('1796288672910-0', '1796288672913-0')).toBe(-1);
    });
  });
});
