/**
 * A payload with the ordering key and headers to publish it with, for
 * `client.emit(pattern, keyed(order.id, payload))`.
 */
export class OutgoingMessage<T = unknown> {
  constructor(
    readonly key: string,
    readonly payload: T,
    readonly headers: Record<string, string> = {},
  ) {}
}

export function keyed<T>(
  key: string,
  payload: T,
  headers?: Record<string, string>,
): OutgoingMessage<T> {
  return new OutgoingMessage(key, payload, headers);
}
