import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { findTool } from '../../ceilings/find-tool.js';
import { runTimedCommand } from '../../ceilings/timed-command.js';
import type {
  CeilingFigures,
  CeilingResult,
} from '../../model/results.types.js';
import type { CeilingContext } from '../adapter.types.js';
import { kafkaArtifacts } from './kafka-artifacts.js';
import { createTopic } from './kafka-topics.js';

const MAIN_CLASS = 'org.apache.kafka.tools.ProducerPerformance';

/**
 * Kafka's ceiling from its own producer performance tool, from the jars
 * scripts/kafka.sh caches: acks=all, as fast as it can, into a topic with
 * the benchmark's partitions. The Java producer batches records (its
 * defaults), so this is what the broker takes, not what one-at-a-time
 * sends can reach.
 */
export async function producerPerformanceCeiling(
  context: CeilingContext,
): Promise<CeilingResult> {
  const tool = 'ProducerPerformance acks=all, Java producer defaults';
  const artifacts = kafkaArtifacts();
  const java = findTool('java');
  const hasTools =
    artifacts &&
    existsSync(artifacts.libsDir) &&
    readdirSync(artifacts.libsDir).some((jar) => jar.includes('kafka-tools'));
  if (!artifacts || !java || !hasTools) {
    return {
      transport: 'kafka',
      tool,
      sizes: [],
      notMeasured: !java
        ? 'java is not installed'
        : 'Kafka tools jars not cached (run bash scripts/kafka.sh start)',
    };
  }
  const kafka = new Kafka({
    clientId: `${context.namespace}-ceiling`,
    brokers: [...context.endpoints.kafkaBrokers],
    logLevel: logLevel.WARN,
  });
  const sizes: CeilingFigures[] = [];
  for (const size of context.sizes) {
    const topic = `${context.namespace}.ceiling.${size}`;
    await createTopic(kafka, topic);
    const log4j = artifacts.log4jConfig
      ? [`-Dlog4j.configuration=file:${artifacts.log4jConfig}`]
      : [];
    const outcome = await runTimedCommand(
      java,
      [
        '-Xmx256m',
        '-cp',
        join(artifacts.libsDir, '*'),
        ...log4j,
        MAIN_CLASS,
        '--topic',
        topic,
        '--num-records',
        String(context.count),
        '--record-size',
        String(size),
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${context.endpoints.kafkaBrokers.join(',')}`,
        'acks=all',
      ],
      { timeoutMs: 180_000 },
    );
    sizes.push(
      parseSummary(outcome.stdout, size, outcome.exitCode, outcome.usage),
    );
  }
  return { transport: 'kafka', tool, sizes };
}

/**
 * The tool's last line: "N records sent, R records/sec (M MB/sec), A ms
 * avg latency, X ms max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th,
 * P999 ms 99.9th."
 */
function parseSummary(
  stdout: string,
  size: number,
  exitCode: number | null,
  usage: CeilingFigures['usage'],
): CeilingFigures {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const rate = /([\d.]+) records\/sec/.exec(line)?.[1];
  if (exitCode !== 0 || !rate) {
    throw new Error(
      `ProducerPerformance failed (exit ${exitCode}): ${line.slice(0, 200)}`,
    );
  }
  const p50 = /(\d+) ms 50th/.exec(line)?.[1];
  const p99 = /(\d+) ms 99th/.exec(line)?.[1];
  return {
    size,
    publishPerSec: Number(rate),
    ackP50Ms: p50 ? Number(p50) : undefined,
    ackP99Ms: p99 ? Number(p99) : undefined,
    usage,
  };
}
