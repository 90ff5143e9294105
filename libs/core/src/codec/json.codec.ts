import { CodecError } from '../errors/codec.error.js';
import { MalformedMessageError } from '../errors/malformed-message.error.js';

const DATE_TAG = '$date';
const BINARY_TAG = '$binary';

/**
 * JSON with two extensions that survive a round trip: a Date travels as
 * `{"$date": "<ISO>"}` and a Buffer or Uint8Array as `{"$binary": "<base64>"}`
 * (decoded as a Buffer). Values JSON would silently change or drop are
 * refused with the path of the offending value: BigInt, functions, symbols,
 * cycles, non-finite numbers, Map and Set.
 *
 * Known limit: a plain object whose only key is `$date` or `$binary` holding
 * a string decodes as a Date or Buffer.
 */
export const JsonCodec = {
  encode(value: unknown): Buffer {
    return Buffer.from(JSON.stringify(toWire(value, '$', new Set())), 'utf8');
  },

  decode(body: Buffer | string): unknown {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    try {
      // A reviver runs for every value of the document; most bodies carry
      // no tagged value, and a body without the tag text cannot hold one.
      return mayHoldTags(text) ? JSON.parse(text, revive) : JSON.parse(text);
    } catch (error) {
      // V8's parse errors quote the body; the body may hold personal data
      // and this message reaches logs and dead-letter headers, so it names
      // the size only. The parse error stays available as the cause.
      throw new MalformedMessageError(
        `body is not valid JSON (${Buffer.byteLength(text)} bytes)`,
        { cause: error },
      );
    }
  },
};

function toWire(value: unknown, path: string, stack: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CodecError(`cannot encode non-finite number ${value}`, path);
      }
      return value;
    case 'undefined':
      return undefined;
    case 'bigint':
      throw new CodecError('cannot encode a BigInt; send it as a string', path);
    case 'function':
    case 'symbol':
      throw new CodecError(`cannot encode a ${typeof value}`, path);
  }
  if (value === null) {
    return null;
  }
  const object = value as object;
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) {
      throw new CodecError('cannot encode an invalid Date', path);
    }
    return { [DATE_TAG]: object.toISOString() };
  }
  if (object instanceof Uint8Array) {
    return { [BINARY_TAG]: Buffer.from(object).toString('base64') };
  }
  if (object instanceof Map || object instanceof Set) {
    throw new CodecError(
      `cannot encode a ${object.constructor.name}; use an object or array`,
      path,
    );
  }
  if (stack.has(object)) {
    throw new CodecError('cannot encode a cycle', path);
  }
  stack.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item, index) => {
        const wire = toWire(item, `${path}[${index}]`, stack);
        return wire === undefined ? null : wire;
      });
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      const wire = toWire(item, `${path}.${key}`, stack);
      if (wire !== undefined) {
        out[key] = wire;
      }
    }
    return out;
  } finally {
    stack.delete(object);
  }
}

/** False only when no key can decode to a tag, escaped (`\u0024`) or not. */
function mayHoldTags(text: string): boolean {
  return (
    text.includes(DATE_TAG) ||
    text.includes(BINARY_TAG) ||
    text.includes('\\u0024')
  );
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    return value;
  }
  const tagged = (value as Record<string, unknown>)[keys[0]];
  if (typeof tagged !== 'string') {
    return value;
  }
  if (keys[0] === DATE_TAG) {
    return new Date(tagged);
  }
  if (keys[0] === BINARY_TAG) {
    return Buffer.from(tagged, 'base64');
  }
  return value;
}
