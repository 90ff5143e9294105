import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import {
  CHILD_ENV,
  type ChildMessage,
  type ChildRole,
  type CommandMessage,
} from '../child/child-protocol.js';
import type { ProcessUsage } from '../model/results.types.js';
import { REPOSITORY_ROOT } from './paths.js';

export interface ChildOptions {
  /** The child's entry file, relative to the repository root. */
  readonly entry: string;
  readonly role: ChildRole;
  readonly spec: unknown;
  /** stdout and stderr of the child go here (Nest and driver logs). */
  readonly logFile: string;
  /** @default 60000 */
  readonly loadTimeoutMs?: number;
}

interface Pending {
  readonly command: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * A child process run through tsx, driven by request/reply commands over
 * its IPC channel. If the child dies, every open request fails with its
 * exit status and the last lines of its log, so a broken transport
 * becomes a "not measured" row and never takes the benchmark down.
 */
export class ChildHandle {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exitReason?: string;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: ChildOptions,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitReason = `${options.role} process exited (${
          signal ?? `code ${code}`
        })${this.logTail()}`;
        this.failAll(new Error(this.exitReason));
        resolve();
      });
    });
    child.on('message', (message: ChildMessage) => this.onMessage(message));
  }

  /** Forks the child and resolves once it has loaded its variant. */
  static async start(options: ChildOptions): Promise<ChildHandle> {
    const log = openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = fork(options.entry, [], {
        cwd: REPOSITORY_ROOT,
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          [CHILD_ENV.spec]: JSON.stringify(options.spec),
          [CHILD_ENV.role]: options.role,
          KAFKAJS_NO_PARTITIONER_WARNING: '1',
          NO_COLOR: '1',
        },
        stdio: ['ignore', log, log, 'ipc'],
      });
    } finally {
      closeSync(log);
    }
    const handle = new ChildHandle(child, options);
    await handle.loaded(options.loadTimeoutMs ?? 60_000);
    return handle;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends a command; rejects on the child's error, death or timeout. */
  request<T>(command: string, args?: unknown, timeoutMs = 120_000): Promise<T> {
    if (this.exitReason) {
      return Promise.reject(new Error(this.exitReason));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new Error(
            `${this.options.role}: "${command}" took longer than ` +
              `${timeoutMs} ms${this.logTail()}`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, {
        command,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
      });
      const message: CommandMessage = { id, command, args };
      this.child.send(message);
    });
  }

  usage(): Promise<ProcessUsage> {
    return this.request<ProcessUsage>('usage', undefined, 10_000);
  }

  /**
   * Lets the child exit (it does when its channel closes), and kills it
   * if it is still there after `graceMs`.
   */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exitReason) {
      return;
    }
    if (this.child.connected) {
      this.child.disconnect();
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private loaded(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(
          new Error(`${this.options.role} did not load in ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const onMessage = (message: ChildMessage) => {
        if ('loaded' in message) {
          clearTimeout(timer);
          this.child.off('message', onMessage);
          resolve();
        }
      };
      this.child.on('message', onMessage);
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(this.exitReason));
      });
    });
  }

  private onMessage(message: ChildMessage): void {
    if ('loaded' in message) {
      return;
    }
    const reply = message;
    const pending = this.pending.get(reply.id);
    if (!pending) {
      return;
    }
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.ok) {
      pending.resolve(reply.result);
    } else {
      pending.reject(
        new Error(`${this.options.role} "${pending.command}": ${reply.error}`),
      );
    }
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }

  /** The last meaningful log lines, for error messages. */
  private logTail(): string {
    if (!existsSync(this.options.logFile)) {
      return '';
    }
    const lines = readFileSync(this.options.logFile, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    const tail = lines.slice(-3).join(' | ');
    return tail ? `; log: ${tail.slice(0, 400)}` : '';
  }
}
