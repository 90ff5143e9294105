import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessUsage } from '../model/results.types.js';

/** GNU time, which reports a finished process's CPU time and peak RSS. */
const GNU_TIME = '/usr/bin/time';

export interface CommandOutcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** From GNU time when it is installed. */
  readonly usage?: ProcessUsage;
}

export interface CommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly stdin?: string;
}

/**
 * Runs a broker's tool to its end and returns its output, under GNU time
 * when available so the tool's own CPU and memory are known. A tool that
 * outlives the timeout is killed (SIGKILL) and reported as such.
 */
export async function runTimedCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandOutcome> {
  const timed = existsSync(GNU_TIME);
  const dir = timed ? mkdtempSync(join(tmpdir(), 'bench-time-')) : undefined;
  const usageFile = dir ? join(dir, 'usage') : undefined;
  const [file, argv] = usageFile
    ? [GNU_TIME, ['-o', usageFile, '-f', '%e %U %S %M', command, ...args]]
    : [command, [...args]];
  try {
    const outcome = await run(file, argv, options, command);
    return usageFile ? { ...outcome, usage: readUsage(usageFile) } : outcome;
  } finally {
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function run(
  file: string,
  argv: readonly string[],
  options: CommandOptions,
  label: string,
): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.end(options.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') {
        reject(new Error(`${label} killed after ${options.timeoutMs} ms`));
        return;
      }
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode: code,
        wallMs: performance.now() - started,
      });
    });
  });
}

function readUsage(file: string): ProcessUsage | undefined {
  if (!existsSync(file)) {
    return undefined;
  }
  // The last line: GNU time puts "Command exited with non-zero status"
  // before it when the tool failed.
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const [, user, system, maxRssKb] = (lines.at(-1) ?? '')
    .split(' ')
    .map(Number);
  if (![user, system, maxRssKb].every(Number.isFinite)) {
    return undefined;
  }
  return {
    cpuMs: (user + system) * 1000,
    maxRssMb: maxRssKb / 1024,
  };
}
