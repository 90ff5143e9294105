import { CodecError, JsonCodec, MalformedMessageError } from '@mq/core';

describe('JsonCodec', () => {
  describe('encode/decode', () => {
    it('round-trips Dates and Buffers nested in objects and arrays', () => {
      const value = {
        at: new Date('2026-01-02T03:04:05.678Z'),
        blob: Buffer.from([0, 1, 254, 255]),
        list: [{ when: new Date(0) }, 'x', 3, true, null],
      };

      const decoded = JsonCodec.decode(JsonCodec.encode(value)) as typeof value;

      expect(decoded.at).toBeInstanceOf(Date);
      expect(decoded.at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
      expect(Buffer.isBuffer(decoded.blob)).toBe(true);
      expect([...decoded.blob]).toEqual([0, 1, 254, 255]);
      expect((decoded.list[0] as { when: Date }).when.getTime()).toBe(0);
      expect(decoded.list.slice(1)).toEqual(['x', 3, true, null]);
    });

    it('drops undefined object fields and turns undefined items into null', () => {
      const decoded = JsonCodec.decode(
        JsonCodec.encode({ a: undefined, b: [undefined, 1] }),
      );
      expect(decoded).toEqual({ b: [null, 1] });
    });
  });

  describe('encode', () => {
    it.each([
      ['a BigInt', { amount: 10n }, '$.amount'],
      ['a function', { f: () => 1 }, '$.f'],
      ['a symbol', { s: Symbol('x') }, '$.s'],
      ['NaN', { n: Number.NaN }, '$.n'],
      ['Infinity', { items: [1, Infinity] }, '$.items[1]'],
      ['a Map', { m: new Map() }, '$.m'],
      ['an invalid Date', { d: new Date('nope') }, '$.d'],
    ])('refuses %s and names its path', (_label, value, path) => {
      let caught: unknown;
      try {
        JsonCodec.encode(value);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CodecError);
      expect((caught as CodecError).path).toBe(path);
      expect((caught as Error).message).toContain(path);
    });

    it('refuses a cycle', () => {
      const node: Record<string, unknown> = { name: 'a' };
      node.self = node;
      expect(() => JsonCodec.encode(node)).toThrow(/cycle at \$\.self/);
    });

    it('accepts the same object twice when it is not a cycle', () => {
      const shared = { x: 1 };
      const decoded = JsonCodec.decode(
        JsonCodec.encode({ a: shared, b: shared }),
      );
      expect(decoded).toEqual({ a: { x: 1 }, b: { x: 1 } });
    });
  });

  describe('decode', () => {
    it('revives a tag whose key is written with an escape', () => {
      const decoded = JsonCodec.decode(
        '{"at":{"\\u0024date":"2026-01-02T03:04:05.678Z"}}',
      ) as { at: Date };

      expect(decoded.at).toBeInstanceOf(Date);
      expect(decoded.at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    });

    it('rejects a body that is not JSON with MalformedMessageError', () => {
      expect(() => JsonCodec.decode('{not json')).toThrow(
        MalformedMessageError,
      );
    });

    it('does not quote the body in the error, which reaches logs', () => {
      const body = '{"email": "ada@example.com", broken';
      expect(() => JsonCodec.decode(body)).toThrow(
        `body is not valid JSON (${body.length} bytes)`,
      );
      expect(() => JsonCodec.decode(body)).not.toThrow(/ada@example\.com/);
    });
  });
});
