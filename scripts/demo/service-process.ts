import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPOSITORY_ROOT } from './repository-paths.js';

/** How one service process is started. */
export interface ServiceProcessOptions {
  /** Name in messages, e.g. `payment-service`. */
  readonly name: string;
  /** The bundle to run with node. */
  readonly entry: string;
  /** HTTP port the service is told to listen on (PORT). */
  readonly port: number;
  /** The complete environment of the child. */
  readonly env: NodeJS.ProcessEnv;
  /** Both output streams go here, appended across restarts. */
  readonly logFile: string;
}

/** Characters of a log file quoted in an error message. */
const LOG_TAIL_CHARS = 3000;
const HEALTH_POLL_MS = 200;

/** Children still running, killed as a last resort when this process exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) {
    child.kill('SIGKILL');
  }
});

/**
 * One service run as `node <entry>` in its own process group, so a Ctrl-C
 * in the terminal reaches only the supervisor, which then stops the
 * services in order. Its output goes to a log file, not to the terminal.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exit?: Promise<void>;
  private lastExit?: { code: number | null; signal: NodeJS.Signals | null };
  private failure?: Error;
  private stopping = false;

  constructor(readonly options: ServiceProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  /** Base URL of its HTTP API. */
  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.lastExit === undefined;
  }

  /** Starts the process; `waitHealthy` tells when it serves. */
  start(): void {
    if (this.running) {
      throw new Error(`${this.name} is already running`);
    }
    const log = openSync(this.options.logFile, 'a');
    try {
      this.child = spawn(process.execPath, [this.options.entry], {
        cwd: REPOSITORY_ROOT,
        env: { ...this.options.env, PORT: String(this.options.port) },
        stdio: ['ignore', log, log],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    const child = this.child;
    this.lastExit = undefined;
    this.stopping = false;
    live.add(child);
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.lastExit = { code, signal };
        resolve();
      });
      child.once('error', (error) => {
        live.delete(child);
        this.lastExit = { code: null, signal: null };
        this.failure = error;
        resolve();
      });
    });
  }

  /**
   * Resolves once `GET /health` answers 200. Fails at once when the process
   * exits, and after `timeoutMs`, quoting the end of its log.
   */
  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      this.assertRunning();
      try {
        const response = await fetch(`${this.url}/health`, {
          signal: AbortSignal.timeout(2000),
        });
        if (response.ok) {
          return;
        }
        last = `status ${response.status}: ${await response.text()}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await sleep(HEALTH_POLL_MS);
    }
    throw new Error(
      `${this.name} was not healthy within ${timeoutMs} ms (${last})` +
        this.logTail(),
    );
  }

  /** Throws, with the end of the log, when the process is not running. */
  assertRunning(): void {
    if (this.running) {
      return;
    }
    const how = this.failure
      ? this.failure.message
      : this.lastExit
        ? `exited (code ${this.lastExit.code}, signal ${this.lastExit.signal})`
        : 'was never started';
    throw new Error(`${this.name} ${how}` + this.logTail());
  }

  /**
   * SIGTERM, then SIGKILL when it has not exited after `graceMs`. Resolves
   * once it is gone; does nothing when it is not running.
   */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running || !this.child) {
      return;
    }
    this.stopping = true;
    this.signal('SIGTERM');
    const exited = await Promise.race([
      this.exit!.then(() => true),
      sleep(graceMs).then(() => false),
    ]);
    if (!exited) {
      this.signal('SIGKILL');
      await this.exit;
    }
  }

  /** Sends `signal` (SIGKILL plays a crash) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) {
      return;
    }
    this.stopping = true;
    this.signal(signal);
    await this.exit;
  }

  /** True while a stop or kill asked for the exit. */
  get stopRequested(): boolean {
    return this.stopping;
  }

  /** The last part of the log file, for error messages. */
  logTail(chars = LOG_TAIL_CHARS): string {
    try {
      const text = readFileSync(this.options.logFile, 'utf8');
      return `\n--- end of ${this.options.logFile} ---\n${text.slice(-chars)}`;
    } catch (error) {
      return `\n(log ${this.options.logFile} unreadable: ${String(error)})`;
    }
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      this.child?.kill(signal);
    } catch (error) {
      // The process may have exited between the check and the kill.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw error;
      }
    }
  }
}
