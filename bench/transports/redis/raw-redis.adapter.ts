import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BenchPayload, WorkloadSpec } from '../../model/workload.types.js';
import { decodePayload, encodePayload } from '../../workload/bench-payload.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';

const GROUP = 'raw';
/** Entries per read, like the transport's prefetch. */
const COUNT = 32;
const BLOCK_MS = 1000;

/**
 * ioredis used directly: XADD per message, and a consumer group read with
 * XREADGROUP on its own connection, acknowledged with XACK after the
 * handlers of a read ran. No retries or reclaiming of a dead consumer's
 * entries.
 */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  const redis = new Redis(spec.endpoints.redisUrl, { lazyConnect: true });
  const stream = streamOf(spec);
  return {
    async connect() {
      await redis.connect();
    },
    async publish(key: string, payload: BenchPayload) {
      await redis.xadd(
        stream,
        '*',
        'mq-id',
        randomUUID(),
        'mq-key',
        key,
        'body',
        encodePayload(payload),
      );
    },
    async close() {
      await redis.quit();
    },
  };
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  return new RawRedisConsumer(spec);
}

class RawRedisConsumer implements BenchConsumer {
  private reader?: Redis;
  private loop?: Promise<void>;
  private running = false;

  constructor(private readonly spec: WorkloadSpec) {}

  async prepare(): Promise<void> {
    const redis = new Redis(this.spec.endpoints.redisUrl);
    try {
      await redis.xgroup('CREATE', streamOf(this.spec), GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) {
        throw error;
      }
    } finally {
      await redis.quit();
    }
  }

  async start(handle: (payload: BenchPayload) => void): Promise<void> {
    this.reader = new Redis(this.spec.endpoints.redisUrl, {
      lazyConnect: true,
    });
    await this.reader.connect();
    this.running = true;
    this.loop = this.consume(this.reader, handle);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.reader?.quit();
  }

  private async consume(
    redis: Redis,
    handle: (payload: BenchPayload) => void,
  ): Promise<void> {
    const stream = streamOf(this.spec);
    while (this.running) {
      const reply = (await redis.callBuffer(
        'xreadgroup',
        'GROUP',
        GROUP,
        'c1',
        'COUNT',
        COUNT,
        'BLOCK',
        BLOCK_MS,
        'STREAMS',
        stream,
        '>',
      )) as [Buffer, [Buffer, Buffer[]][]][] | null;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) {
        continue;
      }
      const ids: Buffer[] = [];
      for (const [id, fields] of entries) {
        handle(decodePayload(fieldOf(fields, 'body')));
        ids.push(id);
      }
      await redis.xack(stream, GROUP, ...ids);
    }
  }
}

function fieldOf(fields: Buffer[], name: string): Buffer {
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i].toString() === name) {
      return fields[i + 1];
    }
  }
  throw new Error(`stream entry has no ${name} field`);
}

function streamOf(spec: WorkloadSpec): string {
  return `${spec.namespace}:raw`;
}
