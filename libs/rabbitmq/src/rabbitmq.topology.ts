import type { Channel } from 'amqplib';
import { TopologyMismatchError } from './errors/topology-mismatch.error.js';
import { PRECONDITION_FAILED } from './rabbitmq.constants.js';

/**
 * Names of everything the transport declares, from one prefix:
 *
 * - `<prefix>.events`: topic exchange, routing key = message type;
 * - `<prefix>.<group>`: a group's work queue, bound by pattern;
 * - `<prefix>.<group>.retry.<ms>`: delay queues (TTL, then dead-lettered
 *   back to the work queue through the default exchange);
 * - `<prefix>.<group>.dlq`: the group's dead letters;
 * - `<prefix>.rpc.<pattern>`: request queue of a `@MessagePattern`.
 */
export class RabbitMqTopology {
  constructor(readonly prefix: string) {}

  get eventsExchange(): string {
    return `${this.prefix}.events`;
  }

  workQueue(group: string): string {
    return `${this.prefix}.${group}`;
  }

  deadLetterQueue(group: string): string {
    return `${this.workQueue(group)}.dlq`;
  }

  retryQueue(group: string, delayMs: number): string {
    return `${this.workQueue(group)}.retry.${delayMs}`;
  }

  requestQueue(pattern: string): string {
    return `${this.prefix}.rpc.${pattern}`;
  }
}

/** Declares the events exchange (durable topic). */
export function declareEventsExchange(
  channel: Channel,
  topology: RabbitMqTopology,
): Promise<unknown> {
  const name = topology.eventsExchange;
  return declare('exchange', name, () =>
    channel.assertExchange(name, 'topic', { durable: true }),
  );
}

/** What a consumer group needs: work queue, bindings, DLQ, delay queues. */
export interface GroupTopology {
  readonly group: string;
  readonly patterns: readonly string[];
  readonly workQueueArguments: Record<string, unknown>;
  readonly delayBuckets: readonly number[];
}

/** Declares a group's queues and bindings (idempotent). */
export async function declareGroupQueues(
  channel: Channel,
  topology: RabbitMqTopology,
  group: GroupTopology,
): Promise<void> {
  const work = topology.workQueue(group.group);
  await declare('queue', work, () =>
    channel.assertQueue(work, {
      durable: true,
      arguments: group.workQueueArguments,
    }),
  );
  for (const pattern of group.patterns) {
    await channel.bindQueue(work, topology.eventsExchange, pattern);
  }
  const dlq = topology.deadLetterQueue(group.group);
  await declare('queue', dlq, () =>
    channel.assertQueue(dlq, { durable: true }),
  );
  for (const delayMs of group.delayBuckets) {
    const queue = topology.retryQueue(group.group, delayMs);
    await declare('queue', queue, () =>
      channel.assertQueue(queue, {
        durable: true,
        arguments: {
          'x-message-ttl': delayMs,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': work,
        },
      }),
    );
  }
}

/**
 * Declares the request queue of a `@MessagePattern`. Requests are
 * transient: the queue goes with its last consumer, so a caller with
 * nobody serving the pattern gets a return at once, not a timeout.
 */
export function declareRequestQueue(
  channel: Channel,
  topology: RabbitMqTopology,
  pattern: string,
): Promise<unknown> {
  const queue = topology.requestQueue(pattern);
  return declare('queue', queue, () =>
    channel.assertQueue(queue, { durable: false, autoDelete: true }),
  );
}

/**
 * Runs one declaration and turns a 406 into a TopologyMismatchError that
 * names what conflicts. The broker closes the channel either way.
 */
export async function declare<T>(
  kind: 'queue' | 'exchange',
  name: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if ((error as { code?: unknown }).code === PRECONDITION_FAILED) {
      throw new TopologyMismatchError(kind, name, brokerText(error), {
        cause: error,
      });
    }
    throw error;
  }
}

function brokerText(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  const quoted = /with message "(.*)"$/s.exec(message);
  return quoted ? quoted[1] : message;
}
