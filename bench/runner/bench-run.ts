import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from '../cli/bench-options.js';
import type {
  BenchResult,
  ProfileSummary,
} from '../model/bench-result.types.js';
import { newRunId } from '../model/namespaces.js';
import type { SagaResult, TransportResult } from '../model/results.types.js';
import { describeMachine, roundedLoad } from '../report/machine-info.js';
import { checkTargets } from '../report/targets.js';
import { runSaga } from '../saga/saga-run.js';
import { endpointsFromEnv } from '../transports/endpoints.js';
import { profileTransport } from './profile-run.js';
import { runTransport } from './transport-run.js';

/**
 * One benchmark run: every transport in turn (its variants interleaved,
 * then its ceiling and outbox relay), the saga per transport, and CPU
 * profiles of this project's variant where a target was missed. Logs and
 * profiles go to a temporary folder, named in the progress output.
 */
export async function runBench(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<BenchResult> {
  const startedAt = new Date();
  const started = performance.now();
  const runId = newRunId();
  const endpoints = endpointsFromEnv();
  const machine = describeMachine();
  const workDir = join(tmpdir(), 'nest-reliable-messaging-bench', runId);
  const logDir = join(workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  log(`run ${runId} (${options.mode}); logs in ${logDir}`);

  const transports: TransportResult[] = [];
  for (const transport of options.transports) {
    transports.push(
      await runTransport(transport, {
        runId,
        endpoints,
        plan: options.plan,
        logDir,
        log,
        ceilings: options.ceilings,
        outbox: options.outbox,
        ceilingCount: options.ceilingCount,
      }),
    );
  }

  const saga: SagaResult[] = [];
  for (const transport of options.sagaTransports) {
    const reached = transports.find((t) => t.transport === transport);
    if (reached?.notMeasured) {
      saga.push(sagaUnmeasured(transport, options, reached.notMeasured));
      continue;
    }
    saga.push(
      await runSaga(transport, {
        runId,
        endpoints,
        orders: options.plan.sagaOrders,
        concurrency: options.plan.sagaConcurrency,
        logDir,
        log,
      }),
    );
  }

  const partial: BenchResult = {
    mode: options.mode,
    args: options.args,
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    machine,
    plan: options.plan,
    transports,
    saga,
    profiles: [],
  };
  const profiles: ProfileSummary[] = [];
  if (options.profile) {
    for (const transport of missedTransports(partial)) {
      profiles.push(
        ...(await profileTransport(transport, {
          runId,
          endpoints,
          plan: options.plan,
          logDir,
          profileDir: join(workDir, 'profiles'),
          log,
        })),
      );
    }
  }
  return {
    ...partial,
    durationMs: performance.now() - started,
    machine: { ...machine, loadEnd: roundedLoad() },
    profiles,
  };
}

/** Transports with a missed target that a profile of ours can explain. */
function missedTransports(result: BenchResult): TransportResult['transport'][] {
  const missed = checkTargets(result).filter(
    (check) => check.met === false && !check.target.startsWith('outbox'),
  );
  return [...new Set(missed.map((check) => check.transport))].filter(
    (name): name is TransportResult['transport'] =>
      result.transports.some((t) => t.transport === name),
  );
}

function sagaUnmeasured(
  transport: TransportResult['transport'],
  options: BenchOptions,
  reason: string,
): SagaResult {
  return {
    transport,
    orders: options.plan.sagaOrders,
    ordersPerSec: Number.NaN,
    latencyP50Ms: Number.NaN,
    latencyP99Ms: Number.NaN,
    services: {},
    notMeasured: reason,
  };
}
