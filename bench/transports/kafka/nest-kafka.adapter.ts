import { ClientKafka, Transport } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import type { WorkloadSpec } from '../../model/workload.types.js';
import { ClientProxyPublisher } from '../../nest/client-proxy.publisher.js';
import { NestAppConsumer } from '../../nest/nest-app.consumer.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';
import { createTopic } from './kafka-topics.js';

/**
 * Nest's built-in Kafka transport (`Transport.KAFKA`) as its docs set it
 * up: ClientKafka emits to the topic named by the pattern, ServerKafka
 * consumes it with `eachMessage` and kafkajs's auto-commit. Only
 * `fromBeginning` is set, so the group reads the backlog published
 * before it started, like the other variants.
 */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  const client = new ClientKafka({
    client: {
      clientId: `${spec.namespace}-nest`,
      brokers: [...spec.endpoints.kafkaBrokers],
    },
    producerOnlyMode: true,
  });
  return new ClientProxyPublisher(client, topicOf(spec), (key, payload) => ({
    key,
    value: payload,
  }));
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  return new NestAppConsumer({
    pattern: topicOf(spec),
    reliable: false,
    prepare: () =>
      createTopic(
        new Kafka({
          clientId: `${spec.namespace}-nest-admin`,
          brokers: [...spec.endpoints.kafkaBrokers],
          logLevel: logLevel.WARN,
        }),
        topicOf(spec),
      ),
    microservice: () => ({
      transport: Transport.KAFKA,
      options: {
        client: {
          clientId: `${spec.namespace}-nest`,
          brokers: [...spec.endpoints.kafkaBrokers],
        },
        consumer: { groupId: `${spec.namespace}.nest` },
        subscribe: { fromBeginning: true },
      },
    }),
  });
}

function topicOf(spec: WorkloadSpec): string {
  return `${spec.namespace}.nest`;
}
