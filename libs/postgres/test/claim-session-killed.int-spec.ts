import { setTimeout as sleep } from 'node:timers/promises';
import { createEnvelope } from '@mq/core';
import { uniqueName } from '@mq/testing';
import { eventually, QueueHarness } from './support/queue-harness.js';

const TYPE = 'order.created';
const KEYS = ['a', 'b', 'c', 'd'];
const PER_KEY = 40;

let harness: QueueHarness;

beforeEach(async () => {
  harness = new QueueHarness(uniqueName('pgkill'));
  await harness.setup();
});

afterEach(async () => {
  await harness.teardown();
});

describe('PostgresServer when its claim session is terminated', () => {
  it('handles every message, in key order, and leaves nothing leased while the session carrying done marks is killed', async () => {
    const handled = new Map<string, number[]>(KEYS.map((key) => [key, []]));
    const server = await harness.startServer(
      {
        consumerGroup: 'billing',
        concurrency: 8,
        leaseMs: 1_000,
        pollIntervalMs: 50,
      },
      {
        [TYPE]: async (payload: unknown) => {
          const { key, n } = payload as { key: string; n: number };
          // Long enough for done marks to queue while a claim runs.
          await sleep(2);
          handled.get(key)?.push(n);
        },
      },
    );
    const envelopes = Array.from({ length: PER_KEY }, (_, n) =>
      KEYS.map((key) => createEnvelope(TYPE, { key, n }, { key })),
    ).flat();
    await harness.client().publishEnvelopes(envelopes);

    // Kill the claim session (the one running the claim statement, which
    // also carries the done marks) again and again while work goes on.
    let kills = 0;
    const killing = (async () => {
      while (kills < 8) {
        const { rowCount } = await harness.db.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE application_name = $1 AND query LIKE 'WITH done AS%'
             AND pid <> pg_backend_pid()`,
          [server.applicationName],
        );
        kills += rowCount ?? 0;
        await sleep(15);
      }
    })();
    await killing;
    expect(kills).toBeGreaterThan(0);

    await eventually(async () => {
      const done = await harness.count(
        `${harness.schema.deliveries} WHERE status = 'done'`,
      );
      expect(done).toBe(KEYS.length * PER_KEY);
    }, 15_000);
    const leased = await harness.count(
      `${harness.schema.deliveries} WHERE leased_by IS NOT NULL`,
    );
    expect(leased).toBe(0);
    for (const key of KEYS) {
      const seen = handled.get(key) ?? [];
      // At least once: a message may come again, but never after a later
      // one of its key, and none is missing.
      expect(new Set(seen).size).toBe(PER_KEY);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
    }
  }, 20_000);
});
