import { findTool } from '../../ceilings/find-tool.js';
import { runTimedCommand } from '../../ceilings/timed-command.js';
import type {
  CeilingFigures,
  CeilingResult,
} from '../../model/results.types.js';
import type { CeilingContext } from '../adapter.types.js';
import { deleteKeys } from './redis.broker.js';

/**
 * Redis's ceiling from redis-benchmark: XADD of a message-sized field,
 * one command per round trip from as many connections as the publish
 * window (no pipelining), into a stream of the run's namespace.
 */
export async function redisBenchmarkCeiling(
  context: CeilingContext,
): Promise<CeilingResult> {
  const tool = `redis-benchmark XADD -c ${context.clients}, no pipelining`;
  const binary = findTool('redis-benchmark');
  if (!binary) {
    return {
      transport: 'redis',
      tool,
      sizes: [],
      notMeasured: 'redis-benchmark is not installed',
    };
  }
  const url = new URL(context.endpoints.redisUrl);
  const auth = url.password
    ? ['-a', decodeURIComponent(url.password), '--no-auth-warning']
    : [];
  const key = `${context.namespace}:ceiling`;
  const sizes: CeilingFigures[] = [];
  try {
    for (const size of context.sizes) {
      const outcome = await runTimedCommand(
        binary,
        [
          '-h',
          url.hostname,
          '-p',
          url.port || '6379',
          ...auth,
          '-n',
          String(context.count),
          '-c',
          String(context.clients),
          '--csv',
          'XADD',
          key,
          '*',
          'body',
          'x'.repeat(size),
        ],
        { timeoutMs: 120_000 },
      );
      sizes.push(parseCsv(outcome.stdout, size, outcome.usage));
    }
  } finally {
    await deleteKeys(context.endpoints.redisUrl, key);
  }
  return { transport: 'redis', tool, sizes };
}

/** `"test","rps","avg_latency_ms",...,"p50_latency_ms",...,"p99_latency_ms"`. */
function parseCsv(
  stdout: string,
  size: number,
  usage: CeilingFigures['usage'],
): CeilingFigures {
  const [header, row] = stdout.trim().split('\n').slice(-2);
  const columns = splitCsv(header ?? '');
  const values = splitCsv(row ?? '');
  const column = (name: string) => Number(values[columns.indexOf(name)]);
  const rps = column('rps');
  if (!Number.isFinite(rps)) {
    throw new Error(`redis-benchmark gave no rate: ${stdout.slice(0, 200)}`);
  }
  return {
    size,
    publishPerSec: rps,
    ackP50Ms: column('p50_latency_ms'),
    ackP99Ms: column('p99_latency_ms'),
    usage,
  };
}

function splitCsv(line: string): string[] {
  return line.split('","').map((cell) => cell.replace(/^"|"$/g, ''));
}
