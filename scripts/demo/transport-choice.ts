import { Socket } from 'node:net';

/** The values MQ_TRANSPORT accepts (see @mq/service-runtime). */
export const DEMO_TRANSPORTS = [
  'postgres',
  'kafka',
  'rabbitmq',
  'redis',
] as const;

export type DemoTransport = (typeof DEMO_TRANSPORTS)[number];

/** The broker the services talk to, and how to tell them. */
export interface TransportChoice {
  readonly name: DemoTransport;
  /** Variables handed to every service: MQ_TRANSPORT and the broker URL. */
  readonly env: Readonly<Record<string, string>>;
  /** Where the broker is, without credentials, for messages. */
  readonly address: string;
  /** host:port pairs to probe before starting anything. */
  readonly endpoints: readonly string[];
}

const DEFAULTS = {
  kafka: '127.0.0.1:9092',
  rabbitmq: 'amqp://guest:guest@127.0.0.1:5672',
  redis: 'redis://127.0.0.1:6379',
} as const;

/**
 * Reads MQ_TRANSPORT (default `postgres`) and the broker's URL
 * (KAFKA_BROKERS, RABBITMQ_URL, REDIS_URL; 127.0.0.1 defaults). The
 * Postgres transport uses the services' own database.
 */
export function transportFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): TransportChoice {
  const name = (env.MQ_TRANSPORT?.trim() || 'postgres') as DemoTransport;
  return transportChoice(name, env);
}

/** The choice for `name`, with broker URLs from `env` or the defaults. */
export function transportChoice(
  name: DemoTransport,
  env: NodeJS.ProcessEnv = process.env,
): TransportChoice {
  switch (name) {
    case 'postgres':
      return {
        name,
        env: { MQ_TRANSPORT: name },
        address: 'the services database',
        endpoints: [],
      };
    case 'kafka': {
      const brokers = env.KAFKA_BROKERS?.trim() || DEFAULTS.kafka;
      return {
        name,
        env: { MQ_TRANSPORT: name, KAFKA_BROKERS: brokers },
        address: brokers,
        endpoints: brokers.split(',').map((broker) => broker.trim()),
      };
    }
    case 'rabbitmq': {
      const url = env.RABBITMQ_URL?.trim() || DEFAULTS.rabbitmq;
      return {
        name,
        env: { MQ_TRANSPORT: name, RABBITMQ_URL: url },
        address: withoutCredentials(url),
        endpoints: [hostPort(url, 5672)],
      };
    }
    case 'redis': {
      const url = env.REDIS_URL?.trim() || DEFAULTS.redis;
      return {
        name,
        env: { MQ_TRANSPORT: name, REDIS_URL: url },
        address: withoutCredentials(url),
        endpoints: [hostPort(url, 6379)],
      };
    }
    default:
      throw new Error(
        `MQ_TRANSPORT must be one of ${DEMO_TRANSPORTS.join(', ')} ` +
          `(got "${String(name)}")`,
      );
  }
}

/**
 * Fails with a readable message when no endpoint of the broker accepts a
 * TCP connection, before any service is started.
 */
export async function assertBrokerReachable(
  choice: TransportChoice,
  timeoutMs = 3000,
): Promise<void> {
  const failures: string[] = [];
  for (const endpoint of choice.endpoints) {
    const error = await probe(endpoint, timeoutMs);
    if (!error) {
      return;
    }
    failures.push(`${endpoint}: ${error}`);
  }
  if (failures.length > 0) {
    throw new Error(
      `cannot reach the ${choice.name} broker (${failures.join('; ')})`,
    );
  }
}

/** `url` with any user and password removed. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable URL)';
  }
}

function hostPort(url: string, defaultPort: number): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}

function probe(endpoint: string, timeoutMs: number): Promise<string | null> {
  const at = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, at).replace(/^\[|\]$/g, '');
  const port = Number(endpoint.slice(at + 1));
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (error: string | null) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer in ${timeoutMs} ms`));
    socket.once('error', (error) => done(error.message));
    socket.connect(port, host, () => done(null));
  });
}
