import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../scripts/demo/repository-paths.js';
import type { DemoTransport } from '../../scripts/demo/transport-choice.js';

/** Each transport, its lib folder and alias, and the server it exports. */
const LIBS: readonly {
  readonly transport: DemoTransport;
  readonly folder: string;
  readonly alias: string;
  readonly server: string;
}[] = [
  {
    transport: 'postgres',
    folder: 'postgres',
    alias: '@mq/postgres',
    server: 'PostgresServer',
  },
  {
    transport: 'kafka',
    folder: 'kafka',
    alias: '@mq/kafka',
    server: 'KafkaServer',
  },
  {
    transport: 'rabbitmq',
    folder: 'rabbitmq',
    alias: '@mq/rabbitmq',
    server: 'RabbitMqServer',
  },
  {
    transport: 'redis',
    folder: 'redis-streams',
    alias: '@mq/redis-streams',
    server: 'RedisStreamsServer',
  },
];

/**
 * The transports whose lib exists: the end-to-end suite runs over each.
 * A lib that exists must load and export its server, or the suite fails
 * instead of leaving the transport out; in CI every broker runs, so an
 * unreachable one fails its tests too, it is never skipped.
 */
export async function e2eTransports(): Promise<DemoTransport[]> {
  const found: DemoTransport[] = [];
  for (const { transport, folder, alias, server } of LIBS) {
    if (!existsSync(join(REPOSITORY_ROOT, 'libs', folder, 'src/index.ts'))) {
      continue;
    }
    const loaded = (await import(alias)) as Record<string, unknown>;
    if (typeof loaded[server] !== 'function') {
      throw new Error(`${alias} exists but does not export ${server}`);
    }
    found.push(transport);
  }
  return found;
}
