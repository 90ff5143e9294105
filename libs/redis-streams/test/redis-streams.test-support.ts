import type { MessageContext } from '@mq/core';
import { uniqueName } from '@mq/testing';
import type { MessageHandler } from '@nestjs/microservices';
import { Redis } from 'ioredis';
import { createServer, Socket, type Server } from 'node:net';
import {
  KeyLayout,
  RedisStreamsClient,
  RedisStreamsDeadLetterStore,
  RedisStreamsServer,
  type RedisStreamsClientOptions,
  type RedisStreamsServerOptions,
} from '../src/index.js';
import { REDIS_URL, killClients } from './redis-streams.test-kit.js';

export { REDIS_URL, killClients };

/** One handler run, as a test checks it. */
export interface Handled {
  readonly id: string;
  readonly key: string;
  readonly payload: unknown;
  readonly attempt: number;
  readonly group: string;
  readonly server: string;
  readonly at: number;
}

export type Behaviour = (payload: unknown, context: MessageContext) => unknown;

/** Fast defaults for this lib's own tests. */
const FAST: Partial<RedisStreamsServerOptions> = {
  blockMs: 1_000,
  retryPollIntervalMs: 25,
  retry: { maxAttempts: 3, initialDelayMs: 50, multiplier: 1, jitter: 0 },
  concurrency: 4,
  shutdownTimeoutMs: 5_000,
};

/**
 * Everything one test starts, under a key prefix of its own; `dispose()`
 * closes it all and deletes the prefix's keys.
 */
export class RedisStreamsTestbed {
  readonly prefix = uniqueName('rs');
  readonly keys = new KeyLayout(this.prefix);
  readonly admin = new Redis(REDIS_URL, { connectionName: 'rs-test-admin' });
  readonly handled: Handled[] = [];
  readonly started: Handled[] = [];
  private readonly servers: RedisStreamsServer[] = [];
  private readonly clients: RedisStreamsClient[] = [];
  private readonly stores: RedisStreamsDeadLetterStore[] = [];
  private count = 0;

  stream(pattern: string): string {
    return this.keys.stream(pattern);
  }

  /**
   * Starts a server with one event handler per pattern; `behaviour` may
   * throw to fail an attempt, or wait to be slow.
   */
  async startServer(
    options: Partial<RedisStreamsServerOptions> & { consumerGroup: string },
    patterns: readonly string[],
    behaviour: Behaviour = () => undefined,
    label = `server${this.servers.length + 1}`,
  ): Promise<RedisStreamsServer> {
    const server = this.createServer(options);
    for (const pattern of patterns) {
      server.addHandler(pattern, this.handler(label, behaviour), true);
    }
    await new Promise<void>((resolve, reject) =>
      server.listen((error?: unknown) => (error ? reject(error) : resolve())),
    );
    return server;
  }

  createServer(
    options: Partial<RedisStreamsServerOptions> & { consumerGroup: string },
  ): RedisStreamsServer {
    this.count += 1;
    const server = new RedisStreamsServer({
      ...FAST,
      url: REDIS_URL,
      keyPrefix: this.prefix,
      connectionName: `${this.prefix}:server${this.count}`,
      ...options,
    });
    this.servers.push(server);
    return server;
  }

  async client(
    options: RedisStreamsClientOptions = {},
  ): Promise<RedisStreamsClient> {
    const client = new RedisStreamsClient({
      url: REDIS_URL,
      keyPrefix: this.prefix,
      ...options,
    });
    this.clients.push(client);
    await client.connect();
    return client;
  }

  deadLetters(consumerGroup: string): RedisStreamsDeadLetterStore {
    const store = new RedisStreamsDeadLetterStore({
      url: REDIS_URL,
      keyPrefix: this.prefix,
      consumerGroup,
    });
    this.stores.push(store);
    return store;
  }

  handledIds(group?: string): string[] {
    return this.handled
      .filter((run) => group === undefined || run.group === group)
      .map((run) => run.id);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.close()));
    await Promise.all(this.clients.map((client) => client.close()));
    await Promise.all(this.stores.map((store) => store.close()));
    let cursor = '0';
    do {
      const [next, keys] = await this.admin.scan(
        cursor,
        'MATCH',
        `${this.prefix}:*`,
        'COUNT',
        500,
      );
      cursor = next;
      if (keys.length > 0) {
        await this.admin.unlink(...keys);
      }
    } while (cursor !== '0');
    await this.admin.quit();
  }

  private handler(label: string, behaviour: Behaviour): MessageHandler {
    return (async (payload: unknown, context: MessageContext) => {
      const envelope = context.getEnvelope();
      const run: Handled = {
        id: envelope.id,
        key: envelope.key,
        payload,
        attempt: context.getAttempt(),
        group: context.getDelivery().consumerGroup,
        server: label,
        at: Date.now(),
      };
      this.started.push(run);
      await behaviour(payload, context);
      this.handled.push({ ...run, at: Date.now() });
    }) as MessageHandler;
  }
}

/** Polls until `check` passes; throws its last failure after `timeoutMs`. */
export async function waitUntil(
  check: () => unknown,
  timeoutMs = 5_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const result = await check();
      if (result !== false) {
        return;
      }
      if (Date.now() >= deadline) {
        throw new Error(`condition still false after ${timeoutMs} ms`);
      }
    } catch (error) {
      if (Date.now() >= deadline) {
        throw error;
      }
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Summary form of XPENDING: how many entries the group has not acked. */
export async function pendingCount(
  redis: Redis,
  stream: string,
  group: string,
): Promise<number> {
  const [count] = (await redis.xpending(stream, group)) as [number];
  return count;
}

/** CLIENT KILL of the connections named exactly `name`; how many. */
export async function killClientNamed(
  redis: Redis,
  name: string,
): Promise<number> {
  const list = (await redis.client('LIST')) as string;
  const ids = list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /^id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
  for (const id of ids) {
    await redis.client('KILL', 'ID', id);
  }
  return ids.length;
}

/** Commands Redis received, as MONITOR shows them. */
export interface CommandLog {
  /** Commands (name lower-cased, then arguments) that name `key`. */
  naming(key: string): string[][];
  stop(): Promise<void>;
}

/**
 * Records every command Redis runs while it is on (MONITOR), so a test
 * can count what reached the broker. MONITOR sees all clients; filter by a
 * key of the test's own prefix.
 */
export async function monitorCommands(): Promise<CommandLog> {
  // ioredis runs MONITOR on a connection of its own, which it returns.
  const connection = new Redis(REDIS_URL, { lazyConnect: true });
  const monitor = await connection.monitor();
  const seen: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    seen.push([args[0].toLowerCase(), ...args.slice(1)]);
  });
  return {
    naming: (key) => seen.filter((command) => command.includes(key)),
    async stop() {
      monitor.disconnect();
      connection.disconnect();
    },
  };
}

/** Fields of an entry as a map (values as Buffers). */
export function fieldMap(fields: Buffer[]): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    map.set(fields[i].toString(), fields[i + 1]);
  }
  return map;
}

/**
 * A TCP proxy in front of Redis, so a test can take the network away:
 * `cut()` drops every connection and refuses new ones (Redis "down"),
 * `restore()` accepts again, `freeze()` keeps sockets open but forwards
 * nothing (a half-open connection that never says it died).
 */
export class RedisProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly frozen = new Set<Socket>();
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const target = new URL(REDIS_URL);
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(Number(target.port || 6379), target.hostname);
      this.sockets.add(client).add(upstream);
      client.on(
        'data',
        (chunk) => this.frozen.has(client) || upstream.write(chunk),
      );
      upstream.on(
        'data',
        (chunk) => this.frozen.has(client) || client.write(chunk),
      );
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
        this.frozen.delete(client);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) =>
      this.server?.listen(this.port, '127.0.0.1', resolve),
    );
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.sockets.clear();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  }

  async restore(): Promise<void> {
    await this.start();
  }

  /** Open connections go silent both ways; new ones work. */
  freeze(): void {
    for (const socket of this.sockets) {
      this.frozen.add(socket);
    }
  }

  async stop(): Promise<void> {
    if (this.server) {
      await this.cut();
    }
  }
}
