import { Redis } from 'ioredis';
import type {
  BrokerEndpoints,
  WorkloadSpec,
} from '../../model/workload.types.js';
import type { BrokerModule } from '../adapter.types.js';
import { withoutCredentials } from '../endpoints.js';
import { redisBenchmarkCeiling } from './redis-benchmark.ceiling.js';

/** Redis as the parent sees it: reachability, cleanup, ceiling. */
export const redisBroker: BrokerModule = {
  transport: 'redis',

  async probe(endpoints: BrokerEndpoints): Promise<string> {
    const redis = new Redis(endpoints.redisUrl, {
      lazyConnect: true,
      connectTimeout: 3000,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    // ioredis reports the cause as an event and rejects connect() only
    // with "Connection is closed"; keep the cause for the reason shown.
    let cause: Error | undefined;
    redis.on('error', (error: Error) => {
      cause ??= error;
    });
    try {
      await redis.connect();
    } catch (error) {
      throw cause ?? error;
    }
    try {
      const info = await redis.info('server');
      const persistence = await redis.info('persistence');
      const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
      const aof = /aof_enabled:(\d)/.exec(persistence)?.[1] === '1';
      return (
        `Redis ${version} (AOF ${aof ? 'on' : 'off'}) at ` +
        withoutCredentials(endpoints.redisUrl)
      );
    } finally {
      await redis.quit();
    }
  },

  async cleanup(spec: WorkloadSpec): Promise<void> {
    await deleteKeys(spec.endpoints.redisUrl, spec.namespace);
  },

  ceiling: redisBenchmarkCeiling,
};

/** Deletes every key that starts with `prefix`. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
        'COUNT',
        500,
      );
      cursor = next;
      if (keys.length > 0) {
        await redis.unlink(...keys);
      }
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
