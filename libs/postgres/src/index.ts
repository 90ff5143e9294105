export { PostgresServer } from './postgres.server.js';
export type { PostgresServerOptions } from './postgres-server.options.js';
export { PostgresClient } from './postgres.client.js';
export type { PostgresClientOptions } from './postgres-client.options.js';
export { PostgresDeadLetterStore } from './dead-letter/postgres-dead-letter.store.js';
export {
  publishEnvelopesWith,
  type PublishWithOptions,
} from './publish/publish-envelopes-with.js';
export { runMigrations } from './schema/run-migrations.js';
export { registerSubscriptions } from './schema/register-subscriptions.js';
export type { QueueSchemaOptions } from './schema/queue-schema.js';
export type { PostgresConnection } from './connection/postgres-connection.js';
export type { Queryable } from './connection/queryable.js';
export { InvalidIdentifierError } from './errors/invalid-identifier.error.js';
export { POSTGRES_DEFAULTS } from './postgres.constants.js';
