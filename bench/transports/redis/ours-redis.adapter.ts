import { keyed } from '@mq/core';
import { RedisStreamsClient, RedisStreamsServer } from '@mq/redis-streams';
import type { WorkloadSpec } from '../../model/workload.types.js';
import { ClientProxyPublisher } from '../../nest/client-proxy.publisher.js';
import { NestAppConsumer } from '../../nest/nest-app.consumer.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';

export const PATTERN = 'bench.event';
export const CONSUMER_GROUP = 'bench';

/** The project's Redis Streams transport, through Nest, with its defaults. */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  return new ClientProxyPublisher(
    createEnvelopePublisher(spec),
    PATTERN,
    (key, payload) => keyed(key, payload),
  );
}

export function createEnvelopePublisher(
  spec: WorkloadSpec,
): RedisStreamsClient {
  return new RedisStreamsClient({
    url: spec.endpoints.redisUrl,
    keyPrefix: spec.namespace,
  });
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  return new NestAppConsumer({
    pattern: PATTERN,
    reliable: true,
    microservice: () => ({
      strategy: new RedisStreamsServer({
        url: spec.endpoints.redisUrl,
        keyPrefix: spec.namespace,
        consumerGroup: CONSUMER_GROUP,
        concurrency: spec.concurrency,
      }),
    }),
  });
}
