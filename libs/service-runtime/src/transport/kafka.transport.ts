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
