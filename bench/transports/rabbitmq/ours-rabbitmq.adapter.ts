import { keyed } from '@mq/core';
import { RabbitMqClient, RabbitMqServer } from '@mq/rabbitmq';
import type { WorkloadSpec } from '../../model/workload.types.js';
import { ClientProxyPublisher } from '../../nest/client-proxy.publisher.js';
import { NestAppConsumer } from '../../nest/nest-app.consumer.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';

export const PATTERN = 'bench.event';
export const CONSUMER_GROUP = 'bench';

/** The project's RabbitMQ transport, through Nest, with its defaults. */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  return new ClientProxyPublisher(
    createEnvelopePublisher(spec),
    PATTERN,
    (key, payload) => keyed(key, payload),
  );
}

export function createEnvelopePublisher(spec: WorkloadSpec): RabbitMqClient {
  return new RabbitMqClient({
    url: spec.endpoints.rabbitmqUrl,
    prefix: spec.namespace,
  });
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  const consumer = nestConsumer(spec);
  return {
    // The group's queue must be bound before the backlog is published
    // (publishes are mandatory): listening once declares it.
    async prepare() {
      const once = nestConsumer(spec);
      await once.start(() => undefined);
      await once.stop();
    },
    start: (handle) => consumer.start(handle),
    stop: () => consumer.stop(),
  };
}

function nestConsumer(spec: WorkloadSpec): NestAppConsumer {
  return new NestAppConsumer({
    pattern: PATTERN,
    reliable: true,
    microservice: () => ({
      strategy: new RabbitMqServer({
        url: spec.endpoints.rabbitmqUrl,
        prefix: spec.namespace,
        consumerGroup: CONSUMER_GROUP,
        concurrency: spec.concurrency,
      }),
    }),
  });
}
