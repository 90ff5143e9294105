import {
  Partitioners,
  type Kafka,
  type Producer,
  type RetryOptions,
} from 'kafkajs';

/**
 * The producer every part of this transport writes with: idempotent (the
 * broker drops duplicates of a retried request), one request in flight per
 * connection as kafkajs's idempotence needs, never auto-creating topics
 * (they are created with the configured partition count first), and
 * kafkajs's default partitioner named explicitly: the same key always maps
 * to the same partition, and kafkajs stops warning about its v2 change.
 * Retries are unbounded, as idempotence requires (kafkajs merges the
 * client's retry options in, which would cap them); callers bound the wait
 * instead (the client's publishTimeoutMs, the server's shutdown deadline).
 */
export function createProducer(
  kafka: Kafka,
  retry: RetryOptions = {},
): Producer {
  return kafka.producer({
    retry: { ...retry, retries: Number.MAX_SAFE_INTEGER },
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
