import { keyed } from '@mq/core';
import {
  KafkaClient,
  KafkaServer,
  type KafkaConnectionOptions,
} from '@mq/kafka';
import type { WorkloadSpec } from '../../model/workload.types.js';
import { ClientProxyPublisher } from '../../nest/client-proxy.publisher.js';
import { NestAppConsumer } from '../../nest/nest-app.consumer.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';

export const PATTERN = 'bench.event';
export const CONSUMER_GROUP = 'bench';

/** The project's Kafka transport, through Nest, with its defaults. */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  return new ClientProxyPublisher(
    createEnvelopePublisher(spec),
    PATTERN,
    (key, payload) => keyed(key, payload),
  );
}

export function createEnvelopePublisher(spec: WorkloadSpec): KafkaClient {
  return new KafkaClient(connectionOf(spec));
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  return new NestAppConsumer({
    pattern: PATTERN,
    reliable: true,
    microservice: () => ({
      strategy: new KafkaServer({
        ...connectionOf(spec),
        consumerGroup: CONSUMER_GROUP,
        concurrency: spec.concurrency,
      }),
    }),
  });
}

/** Topics and the group live under `<namespace>.`. */
export function connectionOf(spec: WorkloadSpec): KafkaConnectionOptions {
  return {
    brokers: [...spec.endpoints.kafkaBrokers],
    prefix: `${spec.namespace}.`,
    clientId: spec.namespace,
  };
}
