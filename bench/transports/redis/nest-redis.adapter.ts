import { ClientRedis, Transport } from '@nestjs/microservices';
import type { WorkloadSpec } from '../../model/workload.types.js';
import { ClientProxyPublisher } from '../../nest/client-proxy.publisher.js';
import { NestAppConsumer } from '../../nest/nest-app.consumer.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';

/**
 * Nest's built-in Redis transport (`Transport.REDIS`): pub/sub, so not at
 * least once. A message published while no server is subscribed is gone,
 * which is why its consumer runs during the burst (the consume figure is
 * then live, not from a backlog).
 */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  const client = new ClientRedis(redisOptions(spec));
  return new ClientProxyPublisher(
    client,
    channelOf(spec),
    (_key, payload) => payload,
  );
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  return new NestAppConsumer({
    pattern: channelOf(spec),
    reliable: false,
    live: true,
    microservice: () => ({
      transport: Transport.REDIS,
      options: redisOptions(spec),
    }),
  });
}

function redisOptions(spec: WorkloadSpec): { host: string; port: number } {
  const url = new URL(spec.endpoints.redisUrl);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

/** Pub/sub channels are global: the namespace keeps runs apart. */
function channelOf(spec: WorkloadSpec): string {
  return `${spec.namespace}.nest`;
}
