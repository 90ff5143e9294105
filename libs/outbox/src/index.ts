export { OutboxMessage } from './entities/outbox-message.entity.js';
export { InboxMessage } from './entities/inbox-message.entity.js';
export { OUTBOX_ENTITIES } from './entities/outbox-entities.js';
export { CreateOutboxTables1764720000000 } from './migrations/create-outbox-tables.migration.js';
export { defaultNotifyChannel } from './schema/notify-channel.js';
export { ensureSchema } from './schema/ensure-schema.js';

export { OutboxService } from './outbox/outbox.service.js';
export type {
  OutboxEntry,
  OutboxServiceOptions,
} from './outbox/outbox-service.options.js';

export { OutboxRelay } from './relay/outbox-relay.js';
export {
  OUTBOX_RELAY_DEFAULTS,
  type OutboxRelayOptions,
  type RelayBackoffOptions,
} from './relay/outbox-relay.options.js';
export type {
  OutboxRelayState,
  OutboxRelayStats,
} from './relay/outbox-relay-stats.js';

export { InboxService } from './inbox/inbox.service.js';
export type { InboxResult } from './inbox/inbox-result.js';

export { OutboxModule } from './module/outbox.module.js';
export {
  OUTBOX_DATA_SOURCE,
  OUTBOX_MODULE_OPTIONS,
} from './module/outbox-module.definition.js';
export type {
  OutboxModuleExtras,
  OutboxModuleOptions,
} from './module/outbox-module.options.js';
