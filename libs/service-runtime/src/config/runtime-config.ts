import {
  InvalidEnvError,
  readChoice,
  readInteger,
  readList,
  readString,
  type Env,
} from './env-readers.js';

export const TRANSPORT_NAMES = [
  'postgres',
  'kafka',
  'rabbitmq',
  'redis',
] as const;

/** The broker a service talks to, chosen by MQ_TRANSPORT. */
export type TransportName = (typeof TRANSPORT_NAMES)[number];

/** Retry settings handed to the transport's server. */
export interface RuntimeRetryConfig {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Everything a service reads from its environment, parsed and checked.
 * Each field names its variable and default.
 */
export interface RuntimeConfig {
  /** MQ_TRANSPORT. @default 'postgres' */
  readonly transport: TransportName;
  /** DATABASE_URL: the services' database (and the Postgres transport's). */
  readonly databaseUrl: string;
  /** KAFKA_BROKERS, comma-separated. @default ['127.0.0.1:9092'] */
  readonly kafkaBrokers: readonly string[];
  /** RABBITMQ_URL. @default 'amqp://guest:guest@127.0.0.1:5672' */
  readonly rabbitmqUrl: string;
  /** REDIS_URL. @default 'redis://127.0.0.1:6379' */
  readonly redisUrl: string;
  /** PORT; undefined means the service's own default port. */
  readonly port?: number;
  /** HOST to bind the HTTP server to. @default '0.0.0.0' */
  readonly host: string;
  /**
   * MQ_NAMESPACE: prefix of every schema, topic, queue, stream and consumer
   * group, so parallel runs (tests) never meet. Empty for none.
   * @default ''
   */
  readonly namespace: string;
  /** MQ_CONCURRENCY: handlers running at once. @default 16 */
  readonly concurrency: number;
  /**
   * MQ_MAX_ATTEMPTS (5), MQ_RETRY_INITIAL_DELAY_MS (1000) and
   * MQ_RETRY_MAX_DELAY_MS (60000).
   */
  readonly retry: RuntimeRetryConfig;
  /**
   * MQ_LEASE_MS: how long the in-flight messages of a consumer that died
   * stay with it before another consumer (or its restart) gets them: the
   * Postgres lease, the Redis visibility timeout, the Kafka session
   * timeout (at least 6000). RabbitMQ needs none: a lost channel hands
   * its messages back at once. Unset: each transport's own default.
   */
  readonly leaseMs?: number;
}

export const RUNTIME_DEFAULTS = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  kafkaBrokers: ['127.0.0.1:9092'],
  rabbitmqUrl: 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: 'redis://127.0.0.1:6379',
  host: '0.0.0.0',
  concurrency: 16,
  maxAttempts: 5,
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
} as const;

/**
 * Lower case, starting with a letter: valid as a PostgreSQL identifier, a
 * Kafka topic, a RabbitMQ name and a Redis key prefix alike. The length
 * leaves room for `<namespace>_notifications` within PostgreSQL's 63.
 */
const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** Parses and checks the runtime variables; throws on the first bad one. */
export function readRuntimeConfig(env: Env): RuntimeConfig {
  const port = readString(env, 'PORT');
  const lease = readString(env, 'MQ_LEASE_MS');
  return {
    transport: readChoice(env, 'MQ_TRANSPORT', TRANSPORT_NAMES, 'postgres'),
    databaseUrl:
      readString(env, 'DATABASE_URL') ?? RUNTIME_DEFAULTS.databaseUrl,
    kafkaBrokers: readList(env, 'KAFKA_BROKERS', RUNTIME_DEFAULTS.kafkaBrokers),
    rabbitmqUrl:
      readString(env, 'RABBITMQ_URL') ?? RUNTIME_DEFAULTS.rabbitmqUrl,
    redisUrl: readString(env, 'REDIS_URL') ?? RUNTIME_DEFAULTS.redisUrl,
    port:
      port === undefined
        ? undefined
        : readInteger(env, 'PORT', 0, { min: 0, max: 65_535 }),
    host: readString(env, 'HOST') ?? RUNTIME_DEFAULTS.host,
    namespace: readNamespace(env),
    concurrency: readInteger(
      env,
      'MQ_CONCURRENCY',
      RUNTIME_DEFAULTS.concurrency,
      { min: 1, max: 1024 },
    ),
    retry: {
      maxAttempts: readInteger(
        env,
        'MQ_MAX_ATTEMPTS',
        RUNTIME_DEFAULTS.maxAttempts,
        { min: 1, max: 100 },
      ),
      initialDelayMs: readInteger(
        env,
        'MQ_RETRY_INITIAL_DELAY_MS',
        RUNTIME_DEFAULTS.initialDelayMs,
      ),
      maxDelayMs: readInteger(
        env,
        'MQ_RETRY_MAX_DELAY_MS',
        RUNTIME_DEFAULTS.maxDelayMs,
      ),
    },
    leaseMs:
      lease === undefined
        ? undefined
        : readInteger(env, 'MQ_LEASE_MS', 0, { min: 1000, max: 3_600_000 }),
  };
}

function readNamespace(env: Env): string {
  const value = readString(env, 'MQ_NAMESPACE') ?? '';
  if (value && !NAMESPACE_PATTERN.test(value)) {
    throw new InvalidEnvError(
      'MQ_NAMESPACE',
      value,
      'lower-case letters, digits and _, starting with a letter, ' +
        'at most 40 characters',
    );
  }
  return value;
}

/** `name` with the namespace in front: `ns_orders`, or `orders` alone. */
export function namespaced(
  namespace: string,
  name: string,
  separator = '_',
): string {
  return namespace ? `${namespace}${separator}${name}` : name;
}
