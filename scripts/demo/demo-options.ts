import { Command, InvalidArgumentError, Option } from 'commander';

/** What one demo run does; see scripts/demo/README.md. */
export interface DemoOptions {
  /** Orders to place. @default 200 */
  readonly orders: number;
  /** HTTP requests in flight at once. @default 8 */
  readonly concurrency: number;
  /** Seconds to wait for every order to be final. @default 120 */
  readonly timeoutSeconds: number;
  /** PAYMENT_TRANSIENT_FAILURE_RATE of payment-service. @default 0 */
  readonly transientFailureRate: number;
  /** Invalid messages to send, all to be dead-lettered. @default 0 */
  readonly poison: number;
  /** End stdout with one JSON line. @default false */
  readonly json: boolean;
  /** Seed of the generated orders. @default 1 */
  readonly seed: number;
  /** Leave the run's schemas and broker data in place. @default false */
  readonly keep: boolean;
}

/** Parses `argv` (process.argv); exits with usage on bad input. */
export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  const program = new Command('demo')
    .description(
      'Runs order-, payment- and notification-service as processes, ' +
        'drives orders through the saga and checks the outcome.',
    )
    .addOption(
      new Option('--orders <n>', 'orders to place')
        .default(200)
        .argParser(integer(1, 100_000)),
    )
    .addOption(
      new Option('--concurrency <n>', 'HTTP requests in flight at once')
        .default(8)
        .argParser(integer(1, 256)),
    )
    .addOption(
      new Option('--timeout <seconds>', 'longest wait for final states')
        .default(120)
        .argParser(integer(1, 3600)),
    )
    .addOption(
      new Option(
        '--transient-failure-rate <rate>',
        'share of charge attempts the simulated gateway fails (0-1)',
      )
        .default(0)
        .argParser(rate),
    )
    .addOption(
      new Option(
        '--poison <n>',
        'invalid messages to send; each must end in a dead-letter queue',
      )
        .default(0)
        .argParser(integer(0, 10_000)),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the generated orders')
        .default(1)
        .argParser(integer(0, 2 ** 31)),
    )
    .option('--json', 'end stdout with the summary as one JSON line', false)
    .option('--keep', "keep the run's schemas and broker data", false)
    .addHelpText(
      'after',
      '\nEnvironment: DATABASE_URL (else an embedded PostgreSQL), ' +
        'MQ_TRANSPORT=postgres|kafka|rabbitmq|redis,\n' +
        'KAFKA_BROKERS, RABBITMQ_URL, REDIS_URL. ' +
        'Exit code 0 when every check passes, 1 otherwise, 130 on Ctrl-C.',
    )
    .parse([...argv]);

  const raw = program.opts<{
    orders: number;
    concurrency: number;
    timeout: number;
    transientFailureRate: number;
    poison: number;
    seed: number;
    json: boolean;
    keep: boolean;
  }>();
  return {
    orders: raw.orders,
    concurrency: raw.concurrency,
    timeoutSeconds: raw.timeout,
    transientFailureRate: raw.transientFailureRate,
    poison: raw.poison,
    seed: raw.seed,
    json: raw.json,
    keep: raw.keep,
  };
}

function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(
        `expected an integer from ${min} to ${max}`,
      );
    }
    return parsed;
  };
}

function rate(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1) {
    throw new InvalidArgumentError('expected a number from 0 to 1');
  }
  return parsed;
}
