/**
 * `npm run bench [-- --quick] [-- --json]`: raw drivers, this project's
 * transports and Nest's built-in ones, side by side in one run, plus the
 * brokers' own ceilings, the outbox relay and the saga. Progress goes to
 * stderr; the tables (and with --json, a last line of JSON) to stdout.
 */
import 'reflect-metadata';
import { CommanderError } from 'commander';
import { parseBenchOptions, type BenchOptions } from './cli/bench-options.js';
import { runBench } from './runner/bench-run.js';
import { jsonSummary } from './report/json-summary.js';
import { printTables } from './report/print-tables.js';
import { writeReports } from './report/write-reports.js';

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** Runs the benchmark; resolves with the text for the end of stdout. */
async function main(options: BenchOptions): Promise<string> {
  if (options.renderOnly) {
    log(`wrote ${writeReports().join(', ')}`);
    return '';
  }
  const result = await runBench(options, log);
  process.stdout.write(printTables(result));
  if (options.write) {
    log(`wrote ${writeReports(result).join(', ')}`);
  }
  return options.json ? `${jsonSummary(result)}\n` : '';
}

let options: BenchOptions | undefined;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CommanderError)) {
    throw error;
  }
  // Commander has printed the help or the usage error already.
  process.exitCode = error.code === 'commander.helpDisplayed' ? 0 : 2;
}

if (options) {
  const last = await main(options);
  // Exit once stdout is flushed rather than when the event loop empties:
  // the demo's service supervisor leaves a grace timer running for 15 s
  // after each stop, which would only delay the exit.
  process.stdout.write(last, () => process.exit(0));
}
