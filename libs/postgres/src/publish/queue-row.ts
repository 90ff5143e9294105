import {
  DEFAULT_MAX_MESSAGE_BYTES,
  toWireMessage,
  type Envelope,
} from '@mq/core';
import { MAX_KEY_BYTES } from '../postgres.constants.js';

/** One message as the messages table stores it. */
export interface QueueRow {
  readonly messageId: string;
  readonly type: string;
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * Encodes every envelope before anything is written, so one that is too
 * large (MessageTooLargeError) or not encodable fails the whole batch.
 */
export function toQueueRows(
  envelopes: readonly Envelope[],
  maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
): QueueRow[] {
  return envelopes.map((envelope) => {
    if (!isUuid(envelope.id)) {
      throw new TypeError(
        `message ${envelope.type} has id "${envelope.id}", which is not ` +
          'a UUID; the PostgreSQL transport stores message ids as uuid',
      );
    }
    const keyBytes = Buffer.byteLength(envelope.key);
    if (keyBytes > MAX_KEY_BYTES) {
      throw new RangeError(
        `message ${envelope.type} has a key of ${keyBytes} bytes, over the ` +
          `limit of ${MAX_KEY_BYTES}: the key is indexed for the ordering ` +
          'check, and PostgreSQL refuses long index rows',
      );
    }
    const wire = toWireMessage(envelope, maxMessageBytes);
    return {
      messageId: envelope.id,
      type: envelope.type,
      key: envelope.key,
      headers: wire.headers,
      body: wire.body,
    };
  });
}
