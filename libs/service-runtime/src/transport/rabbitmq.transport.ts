import { namespaced } from '../config/runtime-config.js';
import type {
  MessagingTransport,
  TransportSettings,
} from './messaging-transport.js';
import { commonServerOptions } from './server-options.js';

/** Exchanges and queues named `<namespace>.mq.*`. */
export async function createRabbitMqTransport(
  settings: TransportSettings,
): Promise<MessagingTransport> {
  const { RabbitMqClient, RabbitMqDeadLetterStore, RabbitMqServer } =
    await import('@mq/rabbitmq');
  const { config, service } = settings;
  const connection = {
    url: config.rabbitmqUrl,
    prefix: namespaced(config.namespace, 'mq', '.'),
  };
  return {
    name: 'rabbitmq',
    server: new RabbitMqServer({
      ...commonServerOptions(settings),
      ...connection,
    }),
    client: new RabbitMqClient(connection),
    deadLetters: new RabbitMqDeadLetterStore({
      ...connection,
      consumerGroup: service.consumerGroup,
    }),
  };
}
