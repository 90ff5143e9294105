import type { ServiceDefinition } from '@mq/service-runtime';
import { CreateNotifications1764800000002 } from './migrations/1764800000002-create-notifications.migration.js';
import { Notification } from './notifications/notification.entity.js';

/** notification-service: schema `notifications`, port 3003. */
export const NOTIFICATION_SERVICE: ServiceDefinition = {
  name: 'notification-service',
  schema: 'notifications',
  defaultPort: 3003,
  entities: [Notification],
  migrations: [CreateNotifications1764800000002],
};
