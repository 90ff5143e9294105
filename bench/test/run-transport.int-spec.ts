import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newRunId } from '../model/namespaces.js';
import { runTransport } from '../runner/transport-run.js';
import { PLAN } from './fixtures.js';
import { endpointsFromEnv } from '../transports/endpoints.js';

/**
 * The harness end to end against the real Redis of this machine, with
 * tiny counts: three variants measured in child processes, names
 * cleaned up, and an unreachable broker reported instead of thrown.
 */
describe('runTransport (redis)', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'bench-int-'));
  afterAll(() => rmSync(logDir, { recursive: true, force: true }));
  const plan = { ...PLAN, count: 200, latencyCount: 50 };

  it('measures raw, ours and Nest and leaves no keys behind', async () => {
    const runId = newRunId();
    const endpoints = endpointsFromEnv();
    const result = await runTransport('redis', {
      runId,
      endpoints,
      plan,
      logDir,
      log: () => undefined,
      ceilings: false,
      outbox: false,
      ceilingCount: 0,
    });
    expect(result.notMeasured).toBeUndefined();
    expect(result.variants.map((v) => [v.variant, v.notMeasured])).toEqual([
      ['raw', undefined],
      ['ours', undefined],
      ['nest', undefined],
    ]);
    for (const variant of result.variants) {
      expect(variant.sizes[0].publishPerSec).toBeGreaterThan(0);
      expect(variant.sizes[0].consumePerSec).toBeGreaterThan(0);
      expect(variant.consumer.maxRssMb).toBeGreaterThan(10);
    }
    const redis = new Redis(endpoints.redisUrl);
    try {
      const [, keys] = await redis.scan(
        '0',
        'MATCH',
        `bench_${runId}*`,
        'COUNT',
        1000,
      );
      expect(keys).toEqual([]);
    } finally {
      await redis.quit();
    }
  });

  it('reports an unreachable broker as not measured', async () => {
    const result = await runTransport('redis', {
      runId: newRunId(),
      endpoints: { ...endpointsFromEnv(), redisUrl: 'redis://127.0.0.1:1' },
      plan,
      logDir,
      log: () => undefined,
      ceilings: true,
      outbox: true,
      ceilingCount: 0,
    });
    expect(result.variants).toEqual([]);
    expect(result.notMeasured).toMatch(/^broker unreachable: .*ECONNREFUSED/);
  });
});
