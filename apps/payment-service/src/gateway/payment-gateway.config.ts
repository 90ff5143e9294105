import { registerAs, type ConfigType } from '@nestjs/config';
import { readInteger, readRate, readString } from '@mq/service-runtime';

/**
 * Settings of the simulated gateway:
 * - PAYMENT_TRANSIENT_FAILURE_RATE: share of charge attempts that fail
 *   with a retriable error, 0 to 1. @default 0
 * - PAYMENT_TRANSIENT_MAX_FAILURES: most failures per order; keep it below
 *   MQ_MAX_ATTEMPTS so each order is charged in the end. @default 2
 * - PAYMENT_TRANSIENT_FAILURE_SEED: makes the failures repeatable.
 */
export const paymentGatewayConfig = registerAs('paymentGateway', () => ({
  rate: readRate(process.env, 'PAYMENT_TRANSIENT_FAILURE_RATE', 0),
  maxFailures: readInteger(process.env, 'PAYMENT_TRANSIENT_MAX_FAILURES', 2, {
    min: 0,
    max: 100,
  }),
  seed: readString(process.env, 'PAYMENT_TRANSIENT_FAILURE_SEED'),
}));

export type PaymentGatewayConfig = ConfigType<typeof paymentGatewayConfig>;
