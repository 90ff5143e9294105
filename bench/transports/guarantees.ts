import type { TransportName, VariantName } from '../model/workload.types.js';

/**
 * What each variant promises, in a few words, for the table. The raw
 * variants are set up to match this project's publish and ack
 * guarantees; what ours adds on top (order by key, retries with backoff,
 * dead letters, reclaiming a dead consumer's work) is listed.
 */
const GUARANTEES: Readonly<Record<TransportName, Record<VariantName, string>>> =
  {
    postgres: {
      raw: 'committed INSERT; DELETE … SKIP LOCKED committed after the handler',
      ours: 'committed INSERT; done after the handler; + key order, retries, DLQ',
      nest: '',
    },
    kafka: {
      raw: 'acks=all, idempotent producer; offsets committed after the handler',
      ours: 'acks=all, idempotent; commit after the handler; + key order, retries, DLQ',
      nest: 'acks=all (kafkajs default), not idempotent; auto-commit after the handler',
    },
    rabbitmq: {
      raw: 'persistent, publisher confirms; ack after the handler',
      ours: 'persistent, confirms, mandatory; ack after the handler; + key order, retries, DLQ',
      nest: 'persistent, confirms; manual ack after the handler (noAck: false)',
    },
    redis: {
      raw: 'XADD; XACK after the handler',
      ours: 'XADD; XACK after the handler; + key order, retries, DLQ, reclaim',
      nest: 'pub/sub: at most once, nothing kept while no consumer listens',
    },
  };

export function guaranteeOf(
  transport: TransportName,
  variant: VariantName,
): string {
  return GUARANTEES[transport][variant];
}
