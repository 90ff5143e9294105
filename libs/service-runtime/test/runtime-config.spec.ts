import {
  InvalidEnvError,
  namespaced,
  readRuntimeConfig,
  RUNTIME_DEFAULTS,
} from '@mq/service-runtime';

describe('readRuntimeConfig', () => {
  it('falls back to the documented defaults', () => {
    const config = readRuntimeConfig({});

    expect(config).toEqual({
      transport: 'postgres',
      databaseUrl: RUNTIME_DEFAULTS.databaseUrl,
      kafkaBrokers: ['127.0.0.1:9092'],
      rabbitmqUrl: 'amqp://guest:guest@127.0.0.1:5672',
      redisUrl: 'redis://127.0.0.1:6379',
      port: undefined,
      host: '0.0.0.0',
      namespace: '',
      concurrency: 16,
      retry: { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 60_000 },
    });
  });

  it('reads every variable', () => {
    const config = readRuntimeConfig({
      MQ_TRANSPORT: 'kafka',
      DATABASE_URL: 'postgres://db/app',
      KAFKA_BROKERS: ' k1:9092, k2:9092 ,',
      RABBITMQ_URL: 'amqp://rabbit',
      REDIS_URL: 'redis://redis',
      PORT: '0',
      HOST: '127.0.0.1',
      MQ_NAMESPACE: 'e2e_1',
      MQ_CONCURRENCY: '4',
      MQ_MAX_ATTEMPTS: '3',
      MQ_RETRY_INITIAL_DELAY_MS: '20',
      MQ_RETRY_MAX_DELAY_MS: '200',
    });

    expect(config).toMatchObject({
      transport: 'kafka',
      databaseUrl: 'postgres://db/app',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      port: 0,
      host: '127.0.0.1',
      namespace: 'e2e_1',
      concurrency: 4,
      retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 200 },
    });
  });

  it.each([
    ['MQ_TRANSPORT', 'nats', /one of postgres, kafka, rabbitmq, redis/],
    ['PORT', '80a', /integer from 0 to 65535/],
    ['MQ_MAX_ATTEMPTS', '0', /integer from 1 to 100/],
    ['MQ_NAMESPACE', 'Has-Dash', /lower-case letters/],
    ['KAFKA_BROKERS', ' , ', /comma-separated list/],
  ])('rejects %s=%s, naming the variable', (name, value, reason) => {
    const read = () => readRuntimeConfig({ [name]: value });

    expect(read).toThrow(InvalidEnvError);
    expect(read).toThrow(new RegExp(`^${name} must be`));
    expect(read).toThrow(reason);
  });
});

describe('namespaced', () => {
  it('prefixes a name when there is a namespace', () => {
    expect(namespaced('t1', 'orders')).toBe('t1_orders');
    expect(namespaced('t1', 'mq', '.')).toBe('t1.mq');
  });

  it('leaves the name alone without one', () => {
    expect(namespaced('', 'orders')).toBe('orders');
  });
});
