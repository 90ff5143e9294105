export {
  RedisStreamsServer,
  type RedisStreamsConnections,
} from './redis-streams.server.js';
export { RedisStreamsClient } from './redis-streams.client.js';
export {
  RedisStreamsDeadLetterStore,
  type RedisStreamsDeadLetterStoreOptions,
} from './redis-streams.dead-letter.store.js';
export type {
  RedisStreamsClientOptions,
  RedisStreamsConnectionOptions,
  RedisStreamsServerOptions,
  StreamTrimOptions,
} from './redis-streams.options.js';
export { REDIS_STREAMS_DEFAULTS } from './redis-streams.constants.js';
export { KeyLayout } from './key-layout.js';
