import { randomBytes } from 'node:crypto';
import type { TransportName, WorkloadSpec } from './workload.types.js';

/**
 * A short id for one benchmark run. Every name a run creates starts with
 * `bench_<run id>`, which is valid as a PostgreSQL schema, a Kafka topic
 * prefix, a RabbitMQ name and a Redis key prefix alike.
 */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/** The names of one variant run (or outbox or saga run) of a transport. */
export function namespaceFor(
  runId: string,
  transport: TransportName,
  job: string,
): string {
  return `bench_${runId}_${transport.slice(0, 2)}_${job}`;
}

/** The outbox tables of an outbox run live in a schema of their own. */
export function outboxSchemaOf(spec: Pick<WorkloadSpec, 'namespace'>): string {
  return `${spec.namespace}_outbox`;
}
