/**
 * The outbox relay into one transport, in a process of its own: committed
 * outbox rows are waiting, the relay publishes them through this
 * project's client for the transport, and the run ends when every row is
 * marked published (the broker confirmed it). The parent sends one `run`
 * command per message size.
 */
import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateOutboxTables1764720000000,
  ensureSchema,
  OUTBOX_ENTITIES,
  OutboxRelay,
  OutboxService,
  type OutboxEntry,
} from '@mq/outbox';
import { DataSource } from 'typeorm';
import { outboxSchemaOf } from '../model/namespaces.js';
import type { WorkloadSpec } from '../model/workload.types.js';
import { loadOurs } from '../transports/variant-registry.js';
import { PayloadFactory } from '../workload/bench-payload.js';
import { CHILD_ENV } from './child-protocol.js';
import { serveCommands } from './command-server.js';

/** Rows per prefill transaction. */
const PREFILL_CHUNK = 1000;
/** How often the relay's counters are read while it works. */
const POLL_MS = 5;

/** The `run` command's arguments. */
export interface OutboxRunArgs {
  readonly size: number;
  readonly rows: number;
  readonly keys: number;
  readonly timeoutMs: number;
}

export interface OutboxRunReport {
  readonly rows: number;
  /** From the first batch marked to the last, in ms. */
  readonly elapsedMs: number;
  /** Rows in that window (the first batch is its start). */
  readonly measuredRows: number;
  readonly cpuUs: number;
}

const spec = JSON.parse(process.env[CHILD_ENV.spec] ?? '') as WorkloadSpec;
const ours = await loadOurs(spec.transport);
const client = ours.createEnvelopePublisher(spec);
const outbox = new OutboxService();
const dataSource = new DataSource({
  type: 'postgres',
  url: spec.endpoints.databaseUrl,
  schema: outboxSchemaOf(spec),
  entities: [...OUTBOX_ENTITIES],
  migrations: [CreateOutboxTables1764720000000],
});

serveCommands({
  prepare: async () => {
    await dataSource.initialize();
    await ensureSchema(dataSource);
    await dataSource.runMigrations();
    // Queues, bindings or subscriptions the publishes need.
    await ours.createConsumer(spec).prepare();
    await client.connect();
  },
  run: (args) => relayAll(args as OutboxRunArgs),
  close: async () => {
    await client.close();
    await dataSource.destroy();
  },
});

async function relayAll(args: OutboxRunArgs): Promise<OutboxRunReport> {
  await prefill(args);
  const relay = new OutboxRelay(dataSource, client, {
    connection: { application_name: `bench-relay-${spec.namespace}` },
  });
  const deadline = Date.now() + args.timeoutMs;
  const baseline = relay.stats().publishedTotal;
  relay.start();
  let first: { at: number; rows: number; cpu: NodeJS.CpuUsage } | undefined;
  let published = 0;
  try {
    while (published < args.rows) {
      if (Date.now() > deadline) {
        throw new Error(
          `relay published ${published} of ${args.rows} rows in ` +
            `${args.timeoutMs} ms (${relay.stats().lastError ?? 'no error'})`,
        );
      }
      await sleep(POLL_MS);
      published = relay.stats().publishedTotal - baseline;
      if (!first && published > 0) {
        first = {
          at: performance.now(),
          rows: published,
          cpu: process.cpuUsage(),
        };
      }
    }
  } finally {
    await relay.stop();
  }
  const start = first ?? {
    at: performance.now(),
    rows: 0,
    cpu: process.cpuUsage(),
  };
  const cpu = process.cpuUsage(start.cpu);
  return {
    rows: published,
    elapsedMs: performance.now() - start.at,
    measuredRows: published - start.rows,
    cpuUs: cpu.user + cpu.system,
  };
}

/** Commits `rows` outbox rows, as services would, before the relay runs. */
async function prefill(args: OutboxRunArgs): Promise<void> {
  const factory = new PayloadFactory(`outbox-${args.size}`, args.size);
  for (let start = 0; start < args.rows; start += PREFILL_CHUNK) {
    const entries: OutboxEntry[] = [];
    for (
      let i = start;
      i < Math.min(args.rows, start + PREFILL_CHUNK);
      i += 1
    ) {
      entries.push({
        type: ours.PATTERN,
        key: `key-${i % args.keys}`,
        payload: factory.next(i),
      });
    }
    await dataSource.transaction((manager) => outbox.addMany(manager, entries));
  }
}
