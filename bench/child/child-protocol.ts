/** A command from the parent to a child process, over the IPC channel. */
export interface CommandMessage {
  readonly id: number;
  readonly command: string;
  readonly args?: unknown;
}

/** The child's answer to one command. */
export type ReplyMessage =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** Sent once, when the child has loaded what it runs. */
export interface LoadedMessage {
  readonly loaded: true;
}

export type ChildMessage = ReplyMessage | LoadedMessage;

/** Environment variables a child reads its job from. */
export const CHILD_ENV = {
  spec: 'BENCH_SPEC',
  role: 'BENCH_ROLE',
} as const;

export type ChildRole = 'publisher' | 'consumer' | 'outbox';

/** What a consumer reports for one awaited phase. */
export interface PhaseReport {
  readonly received: number;
  readonly expected: number;
  readonly timedOut: boolean;
  readonly duplicates: number;
  /** First to last handled message, in ms. */
  readonly elapsedMs: number;
  readonly cpuUs: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}
