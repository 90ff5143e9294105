/** Header names shared by every transport. Lower case: AMQP, Kafka and HTTP agree on it. */
export const HeaderNames = {
  id: 'mq-id',
  type: 'mq-type',
  key: 'mq-key',
  occurredAt: 'mq-occurred-at',
  attempt: 'mq-attempt',
  firstFailedAt: 'mq-first-failed-at',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  traceparent: 'traceparent',
  contentType: 'content-type',
} as const;

export const JSON_CONTENT_TYPE = 'application/json';
