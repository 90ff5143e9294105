import type { ReliableServerOptions } from '@mq/core';
import type { RabbitMqConnectionOptions } from './rabbitmq-connection.options.js';

/**
 * Options of the RabbitMQ server strategy: the common server options
 * (consumer group, retry, concurrency, timeouts), the connection, and:
 */
export interface RabbitMqServerOptions
  extends ReliableServerOptions, RabbitMqConnectionOptions {
  /**
   * Unacknowledged deliveries the broker pushes to this server at once
   * (basic.qos). Above `concurrency`, so a key that is busy does not starve
   * the others; same-key messages wait in memory in publish order. Well
   * above it, so the broker keeps sending while acks of a batch travel.
   * @default 8 * concurrency
   */
  prefetch?: number;
  /**
   * Declares the work queue with `x-single-active-consumer`: only one
   * instance of the group consumes at a time (the others stand by), which
   * keeps same-key order across instances at the cost of parallelism.
   * Changing it for an existing queue is a startup error (406).
   * @default false
   */
  singleActiveConsumer?: boolean;
  /**
   * Extra arguments for the work queue, e.g. `{ 'x-queue-type': 'quorum' }`.
   * They must match an existing queue's; prefer policies for anything an
   * operator may want to change later.
   * @default {}
   */
  queueArguments?: Record<string, unknown>;
  /**
   * Longest wait, in ms, for the broker to confirm a retry, dead-letter or
   * reply copy; a copy that fails leaves the original in the queue.
   * @default 10000
   */
  publishTimeoutMs?: number;
}
