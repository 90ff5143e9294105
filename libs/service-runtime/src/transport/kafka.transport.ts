import type {
  MessagingTransport,
  TransportSettings,
} from './messaging-transport.js';
import { commonServerOptions } from './server-options.js';

/** Topics and group ids prefixed with `<namespace>.`. */
export async function createKafkaTransport(
  settings: TransportSettings,
): Promise<MessagingTransport> {
  const { KafkaClient, KafkaDeadLetterStore, KafkaServer } =
    await import('@mq/kafka');
  const { config, service } = settings;
  const connection = {
    brokers: [...config.kafkaBrokers],
    prefix: config.namespace ? `${config.namespace}.` : '',
  };
  return {
    name: 'kafka',
    server: new KafkaServer({
      ...commonServerOptions(settings),
      ...connection,
      ...sessionOptions(config.leaseMs),
      clientId: service.name,
    }),
    client: new KafkaClient({
      ...connection,
      clientId: service.name,
    }),
    deadLetters: new KafkaDeadLetterStore({
      ...connection,
      clientId: service.name,
      consumerGroup: service.consumerGroup,
    }),
  };
}

/**
 * MQ_LEASE_MS as the session timeout: how long the group waits for a
 * member that stopped heartbeating before its partitions move. 6000 is
 * the broker's default `group.min.session.timeout.ms`.
 */
function sessionOptions(leaseMs: number | undefined) {
  if (leaseMs === undefined) {
    return {};
  }
  const sessionTimeout = Math.max(6000, leaseMs);
  return { sessionTimeout, heartbeatInterval: Math.floor(sessionTimeout / 10) };
}
