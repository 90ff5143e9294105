import {
  ClientProxy,
  type ReadPacket,
  type WritePacket,
} from '@nestjs/microservices';
import { createEnvelope } from '../envelope/create-envelope.js';
import type { Envelope } from '../envelope/envelope.js';
import type { EnvelopePublisher } from './envelope-publisher.js';
import { OutgoingMessage } from './outgoing-message.js';

export interface PublishOptions {
  key: string;
  headers?: Record<string, string>;
}

/**
 * Shared base of the client proxies. `emit(pattern, data)` works as in Nest,
 * with the key taken from `keyed(key, payload)` or a `key` string field;
 * `publishEvent` is the promise-returning form. Note that Nest's `emit` runs
 * even when nobody subscribes and then drops its error: subscribe to it (or
 * `await lastValueFrom(...)`), or use `publishEvent`.
 */
export abstract class ReliableClientProxy
  extends ClientProxy
  implements EnvelopePublisher
{
  abstract publishEnvelopes(envelopes: readonly Envelope[]): Promise<void>;

  async publishEvent<T>(
    type: string,
    payload: T,
    options: PublishOptions,
  ): Promise<Envelope<T>> {
    const envelope = createEnvelope(type, payload, options);
    await this.publishEnvelopes([envelope]);
    return envelope;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const type = this.normalizePattern(packet.pattern);
    const { key, payload, headers } = this.unwrapData(type, packet.data);
    await this.publishEvent(type, payload, { key, headers });
    return undefined as T;
  }

  /** Request-reply; transports that support it override this. */
  protected publish(
    packet: ReadPacket,
    callback: (packet: WritePacket) => void,
  ): () => void {
    const pattern = this.normalizePattern(packet.pattern);
    callback({
      err: new Error(
        `${this.constructor.name} does not support request-reply ` +
          `(send "${pattern}"); use emit or publishEvent`,
      ),
      isDisposed: true,
    });
    return () => undefined;
  }

  private unwrapData(
    type: string,
    data: unknown,
  ): { key: string; payload: unknown; headers?: Record<string, string> } {
    if (data instanceof OutgoingMessage) {
      return { key: data.key, payload: data.payload, headers: data.headers };
    }
    const key = (data as { key?: unknown } | null)?.key;
    if (typeof key !== 'string' || key.length === 0) {
      throw new TypeError(
        `emit("${type}"): no message key; wrap the payload as ` +
          'keyed(key, payload) or give it a string "key" field',
      );
    }
    return { key, payload: data };
  }
}
