export { RabbitMqServer } from './rabbitmq.server.js';
export type { RabbitMqServerOptions } from './rabbitmq-server.options.js';
export { RabbitMqClient } from './rabbitmq.client.js';
export type { RabbitMqClientOptions } from './rabbitmq-client.options.js';
export type { RabbitMqConnectionOptions } from './rabbitmq-connection.options.js';
export {
  RabbitMqDeadLetterStore,
  type RabbitMqDeadLetterStoreOptions,
} from './rabbitmq-dead-letter.store.js';
export { RabbitMqTopology } from './rabbitmq.topology.js';
export { delayBucket, delayBucketsOf } from './delay-buckets.js';
export { RABBITMQ_DEFAULTS } from './rabbitmq.constants.js';
export { TopologyMismatchError } from './errors/topology-mismatch.error.js';
export { UnroutableMessageError } from './errors/unroutable-message.error.js';
export { PublishFailedError } from './errors/publish-failed.error.js';
export { RemoteHandlerError } from './errors/remote-handler.error.js';
export { RequestFailedError } from './errors/request-failed.error.js';
