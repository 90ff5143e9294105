import { namespaced } from '../config/runtime-config.js';
import type {
  MessagingTransport,
  TransportSettings,
} from './messaging-transport.js';
import { commonServerOptions } from './server-options.js';

/** Streams and keys under `<namespace>:mq:`. */
export async function createRedisTransport(
  settings: TransportSettings,
): Promise<MessagingTransport> {
  const {
    RedisStreamsClient,
    RedisStreamsDeadLetterStore,
    RedisStreamsServer,
  } = await import('@mq/redis-streams');
  const { config, service } = settings;
  const connection = {
    url: config.redisUrl,
    keyPrefix: namespaced(config.namespace, 'mq', ':'),
  };
  return {
    name: 'redis',
    server: new RedisStreamsServer({
      ...commonServerOptions(settings),
      ...connection,
      ...visibilityOptions(config.leaseMs),
      connectionName: `${service.name}:server`,
    }),
    client: new RedisStreamsClient({
      ...connection,
      connectionName: `${service.name}:client`,
    }),
    deadLetters: new RedisStreamsDeadLetterStore({
      ...connection,
      consumerGroup: service.consumerGroup,
    }),
  };
}

/**
 * MQ_LEASE_MS as the visibility timeout after which a dead consumer's
 * entries are claimed by another, checked four times per timeout.
 */
function visibilityOptions(leaseMs: number | undefined) {
  return leaseMs === undefined
    ? {}
    : {
        visibilityTimeoutMs: leaseMs,
        claimIntervalMs: Math.max(100, Math.floor(leaseMs / 4)),
      };
}
