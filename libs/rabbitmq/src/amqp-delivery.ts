import { HeaderNames, type InboundDelivery } from '@mq/core';
import type { ConsumeMessage } from 'amqplib';
import { readHeaders } from './amqp-message.js';

/**
 * A work-queue delivery as the processor takes it. The attempt comes from
 * the `mq-attempt` header a retry copy carries; a message published to
 * the events exchange without a type header is typed by its routing key.
 */
export function toInboundDelivery(
  msg: ConsumeMessage,
  destination: string,
  eventsExchange: string,
): InboundDelivery {
  const headers = readHeaders(msg);
  const attempt = Number(headers[HeaderNames.attempt]);
  return {
    destination,
    headers,
    body: msg.content,
    attempt: Number.isInteger(attempt) && attempt >= 1 ? attempt : 1,
    fallbackType:
      msg.fields.exchange === eventsExchange
        ? msg.fields.routingKey
        : undefined,
  };
}

/**
 * The type a delivery would be routed by, or undefined when it has no id
 * or no type, which the processor dead-letters as malformed. The body is
 * not decoded here: the processor does that once, in the handler's slot.
 */
export function routableType(delivery: InboundDelivery): string | undefined {
  const { headers } = delivery;
  if (!headers[HeaderNames.id]) {
    return undefined;
  }
  return headers[HeaderNames.type] ?? delivery.fallbackType ?? undefined;
}

/** Same-key deliveries run one at a time, in the order they came. */
export function orderingKeyOf(
  msg: ConsumeMessage,
  delivery: InboundDelivery,
): string {
  return (
    delivery.headers[HeaderNames.key] ||
    delivery.headers[HeaderNames.id] ||
    `delivery:${msg.fields.deliveryTag}`
  );
}
