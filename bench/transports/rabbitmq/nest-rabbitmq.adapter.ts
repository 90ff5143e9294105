import { ClientRMQ, RmqContext, Transport } from '@nestjs/microservices';
import type { WorkloadSpec } from '../../model/workload.types.js';
import { ClientProxyPublisher } from '../../nest/client-proxy.publisher.js';
import { NestAppConsumer } from '../../nest/nest-app.consumer.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';

const PATTERN = 'bench.event';

/**
 * Nest's built-in RabbitMQ transport (`Transport.RMQ`), configured for at
 * least once: a durable queue, persistent messages (ClientRMQ publishes on
 * amqp-connection-manager's confirm channel, so `emit` completes on the
 * confirm), `noAck: false` with the handler acking after its work, and
 * the same prefetch as the other variants.
 */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  const client = new ClientRMQ({
    urls: [spec.endpoints.rabbitmqUrl],
    queue: queueOf(spec),
    queueOptions: { durable: true },
    persistent: true,
  });
  return new ClientProxyPublisher(client, PATTERN, (_key, payload) => payload);
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  return new NestAppConsumer({
    pattern: PATTERN,
    reliable: false,
    afterHandle: (context) => {
      const rmq = context as RmqContext;
      (rmq.getChannelRef() as { ack(message: unknown): void }).ack(
        rmq.getMessage(),
      );
    },
    microservice: () => ({
      transport: Transport.RMQ,
      options: {
        urls: [spec.endpoints.rabbitmqUrl],
        queue: queueOf(spec),
        queueOptions: { durable: true },
        noAck: false,
        prefetchCount: 2 * spec.concurrency,
      },
    }),
  });
}

export function queueOf(spec: WorkloadSpec): string {
  return `${spec.namespace}.nest`;
}
