import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  HARNESS_OPTIONS_ENV,
  parseHarnessLine,
  type ConsumerHarnessOptions,
  type HarnessEvent,
} from './consumer-harness.protocol.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const HARNESS = join(HERE, 'consumer.harness.ts');
/** Kept for error messages: the end of what the child wrote to stderr. */
const STDERR_TAIL_CHARS = 4000;

interface Waiter {
  readonly matches: (event: HarnessEvent) => boolean;
  readonly resolve: (event: HarnessEvent) => void;
}

/**
 * A consumer running in a child process (see consumer.harness.ts): the test
 * reads what it handled and kills it, with SIGKILL when it plays a crash.
 */
export class ConsumerProcess {
  private readonly seen: HarnessEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private stderrTail = '';
  private readonly exited: Promise<void>;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private spawnError: Error | undefined;
  private running = true;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.running = false;
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      });
      child.on('error', (error) => {
        // No 'exit' follows when the process could not be started at all.
        if (child.pid === undefined) {
          this.running = false;
          this.spawnError = error;
          resolve();
          return;
        }
        // A failed kill: kept for the next error message about this child.
        this.stderrTail += `\n[spawner] ${error.message}`;
      });
    });
    createInterface({ input: child.stdout! }).on('line', (line) =>
      this.onLine(line),
    );
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
  }

  /**
   * Starts the harness with `node --import tsx` from the repository root
   * (where tsx finds the tsconfig path aliases) and resolves once it is
   * ready to consume.
   */
  static async spawn(
    options: ConsumerHarnessOptions,
    startTimeoutMs = 30_000,
  ): Promise<ConsumerProcess> {
    const root = repositoryRoot();
    const child = spawn(process.execPath, ['--import', 'tsx', HARNESS], {
      cwd: root,
      env: {
        ...process.env,
        [HARNESS_OPTIONS_ENV]: JSON.stringify(options),
        TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const consumer = new ConsumerProcess(child);
    try {
      await consumer.waitFor(
        (event) => event.kind === 'ready',
        'the harness to be ready',
        startTimeoutMs,
      );
    } catch (error) {
      await consumer.kill();
      throw error;
    }
    return consumer;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get events(): readonly HarnessEvent[] {
    return this.seen;
  }

  /** Ids of the messages whose handler finished in the child. */
  handledIds(): Set<string> {
    return new Set(
      this.seen.flatMap((event) =>
        event.kind === 'handled' ? [event.id] : [],
      ),
    );
  }

  /**
   * Resolves with the first event (past or future) that matches; rejects
   * when the process exits first or after `timeoutMs`.
   */
  waitFor(
    matches: (event: HarnessEvent) => boolean,
    expected: string,
    timeoutMs = 10_000,
  ): Promise<HarnessEvent> {
    const found = this.seen.find(matches);
    if (found) {
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        reject(new Error(`waiting for ${expected}: ${why}${this.stderr()}`));
      };
      const waiter: Waiter = {
        matches,
        resolve: (event) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(event);
        },
      };
      const timer = setTimeout(
        () => fail(`nothing after ${timeoutMs} ms`),
        timeoutMs,
      );
      this.waiters.add(waiter);
      void this.exited.then(() => {
        if (this.waiters.has(waiter)) {
          fail(`the process exited (${this.exitDescription()})`);
        }
      });
    });
  }

  /** Sends `signal` and resolves once the process has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.running) {
      this.child.kill(signal);
    }
    await this.exited;
  }

  /** SIGTERM (the harness closes its server), SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) {
      return;
    }
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private onLine(line: string): void {
    const event = parseHarnessLine(line);
    if (!event) {
      return;
    }
    this.seen.push(event);
    for (const waiter of this.waiters) {
      if (waiter.matches(event)) {
        waiter.resolve(event);
      }
    }
  }

  private exitDescription(): string {
    if (this.spawnError) {
      return `not started: ${this.spawnError.message}`;
    }
    return this.exitSignal
      ? `signal ${this.exitSignal}`
      : `code ${this.exitCode}`;
  }

  private stderr(): string {
    return this.stderrTail ? `\nchild stderr:\n${this.stderrTail}` : '';
  }
}

/** Spawns a consumer harness; see ConsumerProcess.spawn. */
export function spawnConsumer(
  options: ConsumerHarnessOptions,
  startTimeoutMs?: number,
): Promise<ConsumerProcess> {
  return ConsumerProcess.spawn(options, startTimeoutMs);
}

/** The nearest folder above this file with a tsconfig.json: the repo root. */
function repositoryRoot(): string {
  for (let dir = HERE; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json'))) {
      return dir;
    }
    if (dirname(dir) === dir) {
      throw new Error(`no tsconfig.json above ${HERE}`);
    }
  }
}
