import type {
  MessagingTransport,
  TransportSettings,
} from './messaging-transport.js';
import { createKafkaTransport } from './kafka.transport.js';
import { createPostgresTransport } from './postgres.transport.js';
import { createRabbitMqTransport } from './rabbitmq.transport.js';
import { createRedisTransport } from './redis.transport.js';

/**
 * Builds the server and client of the transport MQ_TRANSPORT names. Each
 * transport lib is loaded on demand, so a service on Postgres runs even
 * where kafkajs, amqplib or ioredis are not installed.
 */
export function createTransport(
  settings: TransportSettings,
): Promise<MessagingTransport> {
  switch (settings.config.transport) {
    case 'postgres':
      return createPostgresTransport(settings);
    case 'kafka':
      return createKafkaTransport(settings);
    case 'rabbitmq':
      return createRabbitMqTransport(settings);
    case 'redis':
      return createRedisTransport(settings);
    default:
      return Promise.reject(
        new TypeError(`unknown transport ${String(settings.config.transport)}`),
      );
  }
}
