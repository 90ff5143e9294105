import type { TransportName } from '../model/workload.types.js';
import type { BrokerModule } from './adapter.types.js';

/**
 * The parent's view of each broker, loaded on first use: a broker module
 * that cannot load (its transport library is half written) makes that
 * transport "not measured" instead of stopping the run.
 */
const BROKERS: Readonly<Record<TransportName, () => Promise<BrokerModule>>> = {
  postgres: async () =>
    (await import('./postgres/postgres.broker.js')).postgresBroker,
  kafka: async () => (await import('./kafka/kafka.broker.js')).kafkaBroker,
  rabbitmq: async () =>
    (await import('./rabbitmq/rabbitmq.broker.js')).rabbitmqBroker,
  redis: async () => (await import('./redis/redis.broker.js')).redisBroker,
};

export function loadBroker(transport: TransportName): Promise<BrokerModule> {
  return BROKERS[transport]();
}
