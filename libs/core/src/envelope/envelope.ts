/**
 * The unit every transport carries. The payload travels as the message body;
 * every other field travels in the broker's native header fields.
 */
export interface Envelope<TPayload = unknown> {
  /** Unique and time-sortable (UUID v7). */
  readonly id: string;
  /** The pattern, e.g. `order.created`. */
  readonly type: string;
  /** Ordering key: messages with one key are delivered in publish order. */
  readonly key: string;
  readonly payload: TPayload;
  /** ISO-8601 time at which the producer created the message. */
  readonly occurredAt: string;
  readonly headers: EnvelopeHeaders;
}

export type EnvelopeHeaders = Readonly<Record<string, string>>;
