import { childTraceparent, newTraceparent } from '../context/traceparent.js';
import { MessageScope } from '../context/message-scope.js';
import type { Envelope } from './envelope.js';
import { HeaderNames, JSON_CONTENT_TYPE } from './header-names.js';
import { newMessageId } from './message-id.js';

export interface CreateEnvelopeOptions {
  /** Ordering key. Required: there is no safe default for ordering. */
  key: string;
  /** Extra headers; they cannot override the reserved `mq-*` names. */
  headers?: Record<string, string>;
  id?: string;
  occurredAt?: Date;
}

/**
 * Builds an envelope. Inside a handler the new message inherits the handled
 * message's correlation id, takes its id as causation id and continues its
 * trace; outside one it starts a new correlation and trace.
 */
export function createEnvelope<T>(
  type: string,
  payload: T,
  options: CreateEnvelopeOptions,
): Envelope<T> {
  if (!type) {
    throw new TypeError('createEnvelope: type must be a non-empty string');
  }
  if (typeof options.key !== 'string' || options.key.length === 0) {
    throw new TypeError(
      `createEnvelope: key must be a non-empty string (type ${type})`,
    );
  }
  const id = options.id ?? newMessageId();
  const parent = MessageScope.current()?.envelope;
  const lineage: Record<string, string> = parent
    ? {
        [HeaderNames.correlationId]:
          parent.headers[HeaderNames.correlationId] ?? parent.id,
        [HeaderNames.causationId]: parent.id,
        [HeaderNames.traceparent]: childTraceparent(
          parent.headers[HeaderNames.traceparent],
        ),
      }
    : {
        [HeaderNames.correlationId]: id,
        [HeaderNames.traceparent]: newTraceparent(),
      };

  return {
    id,
    type,
    key: options.key,
    payload,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    headers: {
      ...lineage,
      ...options.headers,
      [HeaderNames.contentType]: JSON_CONTENT_TYPE,
    },
  };
}
