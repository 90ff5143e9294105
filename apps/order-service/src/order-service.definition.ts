import { Patterns } from '@mq/contracts';
import type { ServiceDefinition } from '@mq/service-runtime';
import { CreateOrders1764800000000 } from './migrations/1764800000000-create-orders.migration.js';
import { Order } from './orders/order.entity.js';

/** order-service: schema `orders`, port 3001. */
export const ORDER_SERVICE: ServiceDefinition = {
  name: 'order-service',
  schema: 'orders',
  defaultPort: 3001,
  entities: [Order],
  migrations: [CreateOrders1764800000000],
  // Orders placed before these services first start must wait for them.
  consumers: {
    'payment-service': [Patterns.orderCreated],
    'notification-service': [Patterns.orderConfirmed, Patterns.orderCancelled],
  },
};
