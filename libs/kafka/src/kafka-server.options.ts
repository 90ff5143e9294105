import type { ReliableServerOptions } from '@mq/core';
import type { KafkaConnectionOptions } from './connection/kafka-connection.options.js';

/** Options of KafkaServer: the common ones, the connection, the group. */
export interface KafkaServerOptions
  extends ReliableServerOptions, KafkaConnectionOptions {
  /**
   * Time without heartbeat after which the broker drops a member, in ms.
   * The broker's `group.min.session.timeout.ms` (6000) is the floor.
   * @default 30000
   */
  sessionTimeout?: number;
  /** Time members get to rejoin during a rebalance, in ms. @default 60000 */
  rebalanceTimeout?: number;
  /** @default 3000 */
  heartbeatInterval?: number;
  /**
   * Longest wait of one fetch for new records, in ms. It also bounds how
   * late a due retry is picked up when everything else is idle.
   * @default 1000
   */
  maxWaitTimeInMs?: number;
  /**
   * Partitions whose batches run at the same time. Handlers in flight are
   * bounded by `concurrency` in any case.
   * @default concurrency
   */
  partitionsConsumedConcurrently?: number;
  /**
   * Where a new group starts reading: true for the earliest retained
   * record, so nothing published before its first start is missed.
   * @default true
   */
  fromBeginning?: boolean;
}
