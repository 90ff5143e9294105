/** Defaults and fixed names of the RabbitMQ transport. */
export const RABBITMQ_DEFAULTS = {
  prefix: 'mq',
  heartbeatSeconds: 5,
  reconnectDelayMs: 1000,
  connectTimeoutMs: 10_000,
  publishTimeoutMs: 10_000,
  requestTimeoutMs: 5000,
  prefetchPerHandler: 8,
  deadLetterScanLimit: 1000,
} as const;

/** RabbitMQ's pseudo-queue for direct reply-to. */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/**
 * A handle for one dead letter, set when it is written. It starts with
 * `dlq-`, so `withoutDeadLetterHeaders` drops it on redrive.
 */
export const DEAD_LETTER_ENTRY_HEADER = 'dlq-entry-id';

/** Headers the broker adds when it dead-letters; not carried into copies. */
export const BROKER_HEADER_PREFIXES = [
  'x-death',
  'x-first-death-',
  'x-last-death-',
] as const;

/** How long a failed retry or dead-letter copy waits before requeueing. */
export const COPY_FAILURE_BACKOFF_MS = 1000;

/** AMQP reply code of a declaration that conflicts with an existing one. */
export const PRECONDITION_FAILED = 406;

/** AMQP reply code of a missing queue or exchange. */
export const NOT_FOUND = 404;
