import { Kafka, logLevel } from 'kafkajs';
import { KAFKA_DEFAULTS } from '../kafka.constants.js';
import type { KafkaConnectionOptions } from './kafka-connection.options.js';
import { nestLogCreator } from './kafka-log-creator.js';

/** A kafkajs client from the shared connection options. */
export function createKafka(
  options: KafkaConnectionOptions,
  role: string,
): Kafka {
  if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
    throw new TypeError(`${role}: brokers must list at least one host:port`);
  }
  const clientId = options.clientId ?? KAFKA_DEFAULTS.clientId;
  return new Kafka({
    brokers: options.brokers,
    clientId: `${clientId}-${role}`,
    ssl: options.ssl,
    sasl: options.sasl,
    socketFactory: options.socketFactory,
    connectionTimeout:
      options.connectionTimeout ?? KAFKA_DEFAULTS.connectionTimeout,
    requestTimeout: options.requestTimeout ?? KAFKA_DEFAULTS.requestTimeout,
    retry: options.clientRetry,
    logLevel: options.logLevel ?? logLevel.WARN,
    logCreator: nestLogCreator(),
  });
}
