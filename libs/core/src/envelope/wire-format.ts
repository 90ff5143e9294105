import { JsonCodec } from '../codec/json.codec.js';
import { MalformedMessageError } from '../errors/malformed-message.error.js';
import { MessageTooLargeError } from '../errors/message-too-large.error.js';
import type { Envelope } from './envelope.js';
import { HeaderNames } from './header-names.js';

/** An envelope as bytes plus string headers, ready for any broker. */
export interface WireMessage {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Default body size limit: payloads are small JSON documents. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Encodes an envelope for the wire. Fails with a CodecError for a value JSON
 * cannot carry and MessageTooLargeError over `maxBytes`, both before anything
 * reaches a broker.
 */
export function toWireMessage(
  envelope: Envelope,
  maxBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
): WireMessage {
  const body = JsonCodec.encode(envelope.payload);
  if (body.length > maxBytes) {
    throw new MessageTooLargeError(envelope.type, body.length, maxBytes);
  }
  return {
    body,
    headers: {
      ...envelope.headers,
      [HeaderNames.id]: envelope.id,
      [HeaderNames.type]: envelope.type,
      [HeaderNames.key]: envelope.key,
      [HeaderNames.occurredAt]: envelope.occurredAt,
    },
  };
}

/**
 * Reads an envelope back. `fallbackType` is used when the type header is
 * missing (the destination names it). Throws MalformedMessageError when the
 * body is not JSON or the id header is missing.
 */
export function fromWireMessage(
  message: {
    headers: Record<string, string | undefined>;
    body: Buffer | string;
  },
  fallbackType?: string,
): Envelope {
  const headers = compact(message.headers);
  const id = headers[HeaderNames.id];
  if (!id) {
    throw new MalformedMessageError(`message has no ${HeaderNames.id} header`);
  }
  const type = headers[HeaderNames.type] ?? fallbackType;
  if (!type) {
    throw new MalformedMessageError(`message ${id} has no type`);
  }
  const payload = JsonCodec.decode(message.body);
  return {
    id,
    type,
    key: headers[HeaderNames.key] ?? '',
    occurredAt: headers[HeaderNames.occurredAt] ?? new Date(0).toISOString(),
    payload,
    headers,
  };
}

function compact(
  headers: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) {
      out[name.toLowerCase()] = value;
    }
  }
  return out;
}
