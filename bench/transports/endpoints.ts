import type { BrokerEndpoints } from '../model/workload.types.js';

/** The brokers of this machine unless the environment says otherwise. */
const DEFAULTS = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  kafkaBrokers: '127.0.0.1:9092',
  rabbitmqUrl: 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: 'redis://127.0.0.1:6379',
} as const;

/**
 * Reads DATABASE_URL, KAFKA_BROKERS (comma separated), RABBITMQ_URL and
 * REDIS_URL, the variables the services read too.
 */
export function endpointsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): BrokerEndpoints {
  const brokers = env.KAFKA_BROKERS?.trim() || DEFAULTS.kafkaBrokers;
  return {
    databaseUrl: env.DATABASE_URL?.trim() || DEFAULTS.databaseUrl,
    kafkaBrokers: brokers.split(',').map((broker) => broker.trim()),
    rabbitmqUrl: env.RABBITMQ_URL?.trim() || DEFAULTS.rabbitmqUrl,
    redisUrl: env.REDIS_URL?.trim() || DEFAULTS.redisUrl,
  };
}

/** A URL with user and password removed, for output. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    // Never echo a URL we cannot parse: it may hold a password.
    return '(unparsable URL)';
  }
}
