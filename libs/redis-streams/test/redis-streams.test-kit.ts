/**
 * The conformance suite's view of the Redis Streams transport. The
 * namespace is the key prefix, so every kit sees only its own streams.
 * Loaded by child processes too: no Vitest imports here.
 */
import type { DeadLetterStore, ReliableServer } from '@mq/core';
import type {
  KitClientOptions,
  KitServerOptions,
  TransportTestKit,
} from '@mq/testing';
import { Redis } from 'ioredis';
import {
  KeyLayout,
  RedisStreamsClient,
  RedisStreamsDeadLetterStore,
  RedisStreamsServer,
} from '../src/index.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Short timings so crash and shutdown cases finish in seconds. */
const TEST_TIMINGS = {
  blockMs: 1_000,
  retryPollIntervalMs: 25,
};

/** Passed to crash and shutdown cases; plain JSON for the child process. */
const CRASH_RECOVERY = {
  visibilityTimeoutMs: 1_500,
  claimIntervalMs: 200,
};

export function createTestKit(namespace: string): TransportTestKit {
  return new RedisStreamsTestKit(namespace);
}

class RedisStreamsTestKit implements TransportTestKit {
  readonly name = 'redis-streams';
  readonly features = {
    orderingByKey: true,
    requestReply: false,
    distributesWork: true,
  };
  readonly crashRecoveryOptions = CRASH_RECOVERY;
  private readonly keys: KeyLayout;
  private admin: Redis | undefined;
  private created = 0;
  private readonly servers: RedisStreamsServer[] = [];
  private readonly clients: RedisStreamsClient[] = [];

  constructor(readonly namespace: string) {
    this.keys = new KeyLayout(namespace);
  }

  async setup(): Promise<void> {
    await this.connection().ping();
  }

  async teardown(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.close()));
    await Promise.all(this.clients.map((client) => client.close()));
    const redis = this.connection();
    try {
      await deleteKeys(redis, `${escapeGlob(this.namespace)}:*`);
    } finally {
      this.admin = undefined;
      await redis.quit();
    }
  }

  createServer(options: KitServerOptions): ReliableServer {
    const server = new RedisStreamsServer({
      ...TEST_TIMINGS,
      ...options,
      url: REDIS_URL,
      keyPrefix: this.namespace,
      connectionName: this.nextName('server'),
    });
    this.servers.push(server);
    return server;
  }

  createClient(options: KitClientOptions = {}): RedisStreamsClient {
    const client = new RedisStreamsClient({
      url: REDIS_URL,
      keyPrefix: this.namespace,
      maxMessageBytes: options.maxMessageBytes,
      connectionName: this.nextName('client'),
    });
    this.clients.push(client);
    return client;
  }

  deadLetters(consumerGroup: string): DeadLetterStore {
    return new RedisStreamsDeadLetterStore({
      consumerGroup,
      keyPrefix: this.namespace,
      connection: this.connection(),
    });
  }

  async publishRaw(
    type: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    const fields = Object.entries(headers).flat();
    await this.connection().xadd(
      this.keys.stream(type),
      '*',
      ...fields,
      'body',
      body,
    );
  }

  async dropServerConnections(server: ReliableServer): Promise<void> {
    if (!(server instanceof RedisStreamsServer)) {
      throw new TypeError('not a RedisStreamsServer');
    }
    await killClients(this.connection(), server.connectionName);
  }

  private nextName(role: string): string {
    this.created += 1;
    // The pid keeps a child process's names apart from the parent's.
    return `${this.namespace}:${role}${this.created}-${process.pid}`;
  }

  private connection(): Redis {
    this.admin ??= new Redis(REDIS_URL, {
      connectionName: `${this.namespace}:kit`,
    });
    return this.admin;
  }
}

/**
 * CLIENT KILL has no filter by name (Redis 7.0), so the ids come from
 * CLIENT LIST. Returns how many connections were killed.
 */
export async function killClients(
  redis: Redis,
  namePrefix: string,
): Promise<number> {
  const list = (await redis.client('LIST')) as string;
  const ids = list
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map(splitPair)))
    .filter((client) => client.name?.startsWith(`${namePrefix}:`))
    .map((client) => client.id);
  for (const id of ids) {
    await redis.client('KILL', 'ID', id);
  }
  return ids.length;
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      pattern,
      'COUNT',
      500,
    );
    cursor = next;
    if (keys.length > 0) {
      await redis.unlink(...keys);
    }
  } while (cursor !== '0');
}

function splitPair(pair: string): [string, string] {
  const at = pair.indexOf('=');
  return [pair.slice(0, at), pair.slice(at + 1)];
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
