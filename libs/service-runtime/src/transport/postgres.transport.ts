import { namespaced } from '../config/runtime-config.js';
import type {
  MessagingTransport,
  TransportSettings,
} from './messaging-transport.js';
import { commonServerOptions } from './server-options.js';

/** Queue tables in `<namespace>_mq` of the services' own database. */
export async function createPostgresTransport(
  settings: TransportSettings,
): Promise<MessagingTransport> {
  const { PostgresClient, PostgresServer } = await import('@mq/postgres');
  const { config, service } = settings;
  const schema = namespaced(config.namespace, 'mq');
  const client = new PostgresClient({
    connection: config.databaseUrl,
    schema,
    applicationName: `${service.name}-client`,
    // A publish fans out only to subscribed groups: subscribe the
    // consumers first, or what is sent before they first start is lost.
    subscriptions: service.consumers,
  });
  return {
    name: 'postgres',
    server: new PostgresServer({
      ...commonServerOptions(settings),
      connection: config.databaseUrl,
      schema,
      applicationName: `${service.name}-server`,
      ...(config.leaseMs === undefined ? {} : { leaseMs: config.leaseMs }),
    }),
    client,
    // Shares the client's pool, which the client ends.
    deadLetters: client.deadLetters(service.consumerGroup),
  };
}
