import type { ReliableClientProxy } from '@mq/core';
import type { TransportChoice } from './transport-choice.js';

/** Where the services of one run listen. */
export interface PublisherTarget {
  readonly transport: TransportChoice;
  readonly namespace: string;
  readonly databaseUrl: string;
}

/**
 * Runs `work` with the very client proxy the services publish with, made
 * by @mq/service-runtime's `createTransport` from the same variables, so
 * its messages reach the topics, queues or tables the services consume.
 * The client is closed afterwards; its server half is never started.
 */
export async function withPublisher<T>(
  target: PublisherTarget,
  work: (client: ReliableClientProxy) => Promise<T>,
): Promise<T> {
  // Loaded on demand: it brings Nest, TypeORM and the transport libs.
  const runtime = await import('@mq/service-runtime');
  const config = runtime.readRuntimeConfig({
    ...target.transport.env,
    DATABASE_URL: target.databaseUrl,
    MQ_NAMESPACE: target.namespace,
  });
  const transport = await runtime.createTransport({
    config,
    service: {
      name: 'demo-publisher',
      schema: runtime.namespaced(config.namespace, 'demo'),
      consumerGroup: runtime.namespaced(config.namespace, 'demo-publisher'),
      port: 0,
    },
  });
  await transport.client.connect();
  try {
    return await work(transport.client);
  } finally {
    await transport.client.close();
  }
}
