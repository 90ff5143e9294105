import { Command, InvalidArgumentError, Option } from 'commander';
import { TRANSPORTS, type TransportName } from '../model/workload.types.js';
import type { WorkloadPlan } from '../runner/workload-plan.js';

export interface BenchOptions {
  readonly mode: 'quick' | 'full';
  readonly json: boolean;
  readonly transports: readonly TransportName[];
  readonly plan: WorkloadPlan;
  /** Messages the broker tools publish per size. */
  readonly ceilingCount: number;
  readonly ceilings: boolean;
  readonly outbox: boolean;
  /** Transports the saga runs over. */
  readonly sagaTransports: readonly TransportName[];
  /** Profile this project's variant where a target was missed. */
  readonly profile: boolean;
  /** Write BENCHMARKS.md, the chart and the history. */
  readonly write: boolean;
  /** Measure nothing: rewrite BENCHMARKS.md and the chart from history. */
  readonly renderOnly: boolean;
  readonly args: readonly string[];
}

/**
 * The two presets. `--quick` is sized to finish in about two minutes on
 * the 2-core development machine; the full run takes 3 rounds with ten
 * times the messages, a few minutes per transport.
 */
const PRESETS = {
  quick: {
    plan: {
      sizes: [256, 4096],
      count: 1000,
      latencyCount: 200,
      latencyRate: 500,
      window: 64,
      keys: 1024,
      concurrency: 16,
      rounds: 1,
      outboxRows: 1000,
      sagaOrders: 40,
      sagaConcurrency: 8,
    },
    ceilingCount: 2000,
    sagaTransports: ['postgres'],
    profile: false,
  },
  full: {
    plan: {
      sizes: [256, 4096],
      count: 10_000,
      latencyCount: 2000,
      latencyRate: 500,
      window: 64,
      keys: 1024,
      concurrency: 16,
      rounds: 3,
      outboxRows: 10_000,
      sagaOrders: 300,
      sagaConcurrency: 16,
    },
    ceilingCount: 20_000,
    sagaTransports: [...TRANSPORTS],
    profile: true,
  },
} as const;

/** Parses `npm run bench -- [options]`. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const program = new Command('bench')
    .description(
      "Measures raw drivers, this project's transports and Nest's " +
        'built-in ones side by side, plus broker ceilings, the outbox relay ' +
        'and the saga; prints a table and writes BENCHMARKS.md.',
    )
    .option('--quick', 'small counts, one round: about two minutes', false)
    .option(
      '--json',
      'print the figures as one JSON object on the last line',
      false,
    )
    .addOption(
      new Option('--transports <list>', 'comma-separated transports to run')
        .argParser(parseTransports)
        .default([...TRANSPORTS], TRANSPORTS.join(',')),
    )
    .option('--count <n>', 'messages per burst and backlog', parseCount)
    .option('--rounds <n>', 'rounds per variant', parseCount)
    .option('--latency-rate <n>', 'paced rate for latency, msg/s', parseCount)
    .option('--no-ceilings', 'skip the broker tools')
    .option('--no-outbox', 'skip the outbox relay rows')
    .option('--no-saga', 'skip the saga rows')
    .option(
      '--profile',
      'profile raw and ours of a transport that missed a target (default in full runs)',
    )
    .option('--no-profile', 'never profile')
    .option(
      '--no-write',
      'print only; leave BENCHMARKS.md and bench/results alone',
    )
    .option(
      '--render-only',
      'measure nothing; rewrite BENCHMARKS.md and the chart from the history',
      false,
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stderr.write(text),
    });
  program.parse([...argv], { from: 'user' });
  const opts = program.opts<{
    quick: boolean;
    json: boolean;
    transports: TransportName[];
    count?: number;
    rounds?: number;
    latencyRate?: number;
    ceilings: boolean;
    outbox: boolean;
    saga: boolean;
    profile?: boolean;
    write: boolean;
    renderOnly: boolean;
  }>();
  const mode = opts.quick ? 'quick' : 'full';
  const preset = PRESETS[mode];
  const plan: WorkloadPlan = {
    ...preset.plan,
    count: opts.count ?? preset.plan.count,
    rounds: opts.rounds ?? preset.plan.rounds,
    latencyRate: opts.latencyRate ?? preset.plan.latencyRate,
  };
  return {
    mode,
    json: opts.json,
    transports: opts.transports,
    plan,
    ceilingCount: preset.ceilingCount,
    ceilings: opts.ceilings,
    outbox: opts.outbox,
    sagaTransports: opts.saga
      ? preset.sagaTransports.filter((t) => opts.transports.includes(t))
      : [],
    profile: opts.profile ?? preset.profile,
    write: opts.write,
    renderOnly: opts.renderOnly,
    args: [...argv],
  };
}

function parseTransports(value: string): TransportName[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(TRANSPORTS as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(
        `"${name}" is not one of ${TRANSPORTS.join(', ')}`,
      );
    }
  }
  return names as TransportName[];
}

function parseCount(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new InvalidArgumentError('must be a positive integer');
  }
  return number;
}
