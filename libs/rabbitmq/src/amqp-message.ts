import { HeaderNames, type Envelope, type WireMessage } from '@mq/core';
import type { Message, Options } from 'amqplib';
import { BROKER_HEADER_PREFIXES } from './rabbitmq.constants.js';

/**
 * The string headers of a received message. AMQP header values can be
 * numbers, booleans, byte arrays or tables; scalars become strings, tables
 * (such as the broker's `x-death`) are left out. A message from a producer
 * outside this project that only set the native `message-id` and `type`
 * properties still gets an id and a type.
 */
export function readHeaders(message: Message): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(
    message.properties.headers ?? {},
  )) {
    const text = scalarText(value);
    if (text !== undefined) {
      headers[name.toLowerCase()] = text;
    }
  }
  const { messageId, type } = message.properties;
  if (headers[HeaderNames.id] === undefined && typeof messageId === 'string') {
    headers[HeaderNames.id] = messageId;
  }
  if (headers[HeaderNames.type] === undefined && typeof type === 'string') {
    headers[HeaderNames.type] = type;
  }
  return headers;
}

/** Headers for a copy (retry, dead letter, redrive), minus broker bookkeeping. */
export function copyableHeaders(
  headers: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !BROKER_HEADER_PREFIXES.some((p) => name.startsWith(p)),
    ),
  );
}

/** Publish options for an envelope: persistent, headers plus native fields. */
export function envelopeProperties(
  envelope: Envelope,
  wire: WireMessage,
): Options.Publish {
  return {
    persistent: true,
    headers: wire.headers,
    messageId: envelope.id,
    type: envelope.type,
    contentType: wire.headers[HeaderNames.contentType],
    correlationId: wire.headers[HeaderNames.correlationId],
    timestamp: seconds(envelope.occurredAt),
  };
}

/** Publish options that copy a received message with new headers. */
export function copyProperties(
  message: Message,
  headers: Record<string, string>,
): Options.Publish {
  const source = message.properties;
  return {
    persistent: true,
    headers,
    messageId: optionalString(source.messageId),
    type: optionalString(source.type),
    contentType: optionalString(source.contentType),
    contentEncoding: optionalString(source.contentEncoding),
    correlationId: optionalString(source.correlationId),
    appId: optionalString(source.appId),
    timestamp:
      typeof source.timestamp === 'number' ? source.timestamp : undefined,
    priority: typeof source.priority === 'number' ? source.priority : undefined,
  };
}

function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function seconds(iso: string): number | undefined {
  const millis = Date.parse(iso);
  return Number.isNaN(millis) ? undefined : Math.floor(millis / 1000);
}
