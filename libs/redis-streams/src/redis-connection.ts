import { Redis, type RedisOptions } from 'ioredis';
import { REDIS_STREAMS_DEFAULTS } from './redis-streams.constants.js';
import type { RedisStreamsConnectionOptions } from './redis-streams.options.js';

/** Opens a connection with a client name and lazy connect. */
export function createConnection(
  options: RedisStreamsConnectionOptions,
  connectionName: string,
  overrides: RedisOptions = {},
): Redis {
  const url = options.url ?? REDIS_STREAMS_DEFAULTS.url;
  return new Redis(url, {
    socketTimeout:
      options.socketTimeoutMs ?? REDIS_STREAMS_DEFAULTS.socketTimeoutMs,
    ...options.redis,
    ...overrides,
    connectionName,
    lazyConnect: true,
  });
}

/** Client names may not hold spaces; keep them readable in CLIENT LIST. */
export function clientName(...parts: string[]): string {
  return parts.join(':').replace(/[^\w.:@-]/g, '_');
}

/**
 * Connects and resolves once the connection is ready, or rejects after
 * `timeoutMs` with the last connection error. The connection keeps
 * retrying in the background either way.
 */
export async function connectWithin(
  redis: Redis,
  timeoutMs: number,
): Promise<void> {
  if (redis.status === 'ready') {
    return;
  }
  let lastError: unknown;
  const onError = (error: unknown) => {
    lastError = error;
  };
  redis.on('error', onError);
  try {
    if (redis.status === 'wait' || redis.status === 'end') {
      // The first attempt may fail; the retry strategy goes on after it.
      redis.connect().catch(onError);
    }
    await untilReady(redis, timeoutMs);
  } catch {
    const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
    throw new Error(
      `Redis at ${describe(redis)} not ready within ${timeoutMs} ms${reason}`,
      { cause: lastError },
    );
  } finally {
    redis.off('error', onError);
  }
}

/** Resolves on the next 'ready' event; rejects after `timeoutMs`. */
export function untilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/** Host and port, never credentials. */
export function describe(redis: Redis): string {
  const { host, port, path } = redis.options;
  return path ? `unix:${path}` : `${host}:${port}`;
}

/** How long QUIT may take before the socket is simply closed. */
const QUIT_TIMEOUT_MS = 1_000;

/**
 * Closes a connection: QUIT when it is up (bounded, in case the socket is
 * dead), a plain disconnect otherwise.
 */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') {
    return;
  }
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, QUIT_TIMEOUT_MS);
  });
  // QUIT can fail on a socket that just dropped; disconnect ends it anyway.
  const quit = redis.quit().then(
    () => undefined,
    () => undefined,
  );
  await Promise.race([quit, timeout]);
  clearTimeout(timer);
  redis.disconnect();
}

/**
 * Logs a connection's losses and recoveries once each, not on every retry,
 * and keeps ioredis from printing unhandled 'error' events.
 */
export function watchConnection(
  redis: Redis,
  label: string,
  logger: { error(message: string): void; log(message: string): void },
): void {
  let down = false;
  let lastError = '';
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  redis.on('reconnecting', () => {
    if (!down) {
      down = true;
      const reason = lastError ? ` (${lastError})` : '';
      logger.error(
        `${label} connection to ${describe(redis)} lost${reason}; reconnecting`,
      );
    }
  });
  redis.on('ready', () => {
    if (down) {
      logger.log(`${label} connection to ${describe(redis)} restored`);
    }
    down = false;
    lastError = '';
  });
}
