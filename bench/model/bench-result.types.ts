import type { WorkloadPlan } from '../runner/workload-plan.js';
import type { SagaResult, TransportResult } from './results.types.js';

/** The machine a run measured on, and how busy it was. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  /** 1, 5 and 15 minute load averages when the run started and ended. */
  readonly loadStart: readonly number[];
  readonly loadEnd: readonly number[];
}

/** Where the CPU time of one profiled process went. */
export interface ProfileSummary {
  readonly transport: string;
  readonly variant: string;
  readonly role: 'publisher' | 'consumer';
  /** The `.cpuprofile` (open it in Chrome DevTools or speedscope). */
  readonly file: string;
  /** Sampled time, excluding idle, in ms. */
  readonly sampledMs: number;
  /** Top functions by self time. */
  readonly functions: readonly ProfileEntry[];
  /** Self time by package or project folder. */
  readonly areas: readonly ProfileEntry[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly selfMs: number;
  /** Share of the sampled time. */
  readonly share: number;
}

/** Everything one `npm run bench` measured. */
export interface BenchResult {
  readonly mode: 'quick' | 'full';
  /** The arguments given, for the record. */
  readonly args: readonly string[];
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  readonly plan: WorkloadPlan;
  readonly transports: readonly TransportResult[];
  readonly saga: readonly SagaResult[];
  readonly profiles: readonly ProfileSummary[];
}
