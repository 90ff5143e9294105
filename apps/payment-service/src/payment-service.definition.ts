import { Patterns } from '@mq/contracts';
import type { ServiceDefinition } from '@mq/service-runtime';
import { CreatePayments1764800000001 } from './migrations/1764800000001-create-payments.migration.js';
import { Payment } from './payments/payment.entity.js';

/** payment-service: schema `payments`, port 3002. */
export const PAYMENT_SERVICE: ServiceDefinition = {
  name: 'payment-service',
  schema: 'payments',
  defaultPort: 3002,
  entities: [Payment],
  migrations: [CreatePayments1764800000001],
  // Results sent while order-service has never run must wait for it.
  consumers: {
    'order-service': [Patterns.paymentSucceeded, Patterns.paymentFailed],
  },
};
