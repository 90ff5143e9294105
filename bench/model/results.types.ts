import type { TransportName, VariantName } from './workload.types.js';

/** CPU and memory of one child process. */
export interface ProcessUsage {
  /** User plus system CPU time of the whole process, in ms. */
  readonly cpuMs: number;
  /** Peak resident set size, in MB. */
  readonly maxRssMb: number;
}

/** The figures of one message size in one variant run. */
export interface SizeFigures {
  readonly size: number;
  /** Messages per second until the last publish was confirmed. */
  readonly publishPerSec: number;
  /**
   * Messages per second from the first to the last handled message.
   * Measured on a backlog, except where `liveConsume` says otherwise.
   */
  readonly consumePerSec: number;
  /** Publish-to-handler latency at the paced rate, in ms. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Rate the paced publisher actually reached, messages per second. */
  readonly pacedPerSec: number;
  /** Publisher CPU per message during the burst, in µs. */
  readonly publishCpuUsPerMsg: number;
  /** Consumer CPU per message between first and last handled, in µs. */
  readonly consumeCpuUsPerMsg: number;
  /** Consumed while publishing: pub/sub cannot hold a backlog. */
  readonly liveConsume: boolean;
}

/** One variant run: both processes, every size. */
export interface VariantRun {
  readonly transport: TransportName;
  readonly variant: VariantName;
  readonly round: number;
  readonly sizes: readonly SizeFigures[];
  readonly publisher: ProcessUsage;
  readonly consumer: ProcessUsage;
}

/** A variant that could not be measured, and why. */
export interface NotMeasured {
  readonly reason: string;
}

/** Medians over rounds of one variant, with the spread seen. */
export interface VariantSummary {
  readonly transport: TransportName;
  readonly variant: VariantName;
  /** What the variant promises, in a few words. */
  readonly guarantee: string;
  readonly sizes: readonly SizeFigures[];
  readonly publisher: ProcessUsage;
  readonly consumer: ProcessUsage;
  readonly rounds: number;
  /**
   * Largest (max - min) / median over rounds of the throughput figures;
   * 0 with one round.
   */
  readonly spread: number;
  /** Set when no round finished; the variant has no figures then. */
  readonly notMeasured?: string;
  /** Something the reader should know about figures that exist. */
  readonly note?: string;
}

/** The broker's own tool, publishing the same sizes. */
export interface CeilingFigures {
  readonly size: number;
  readonly publishPerSec: number;
  /** Broker acknowledgement latency the tool reports, when it does. */
  readonly ackP50Ms?: number;
  readonly ackP99Ms?: number;
  readonly usage?: ProcessUsage;
}

export interface CeilingResult {
  readonly transport: TransportName;
  /** The tool and its settings, e.g. `pgbench -c 8 -j 2`. */
  readonly tool: string;
  readonly sizes: readonly CeilingFigures[];
  readonly notMeasured?: string;
}

/** Outbox relay: committed rows to broker confirm. */
export interface OutboxResult {
  readonly transport: TransportName;
  readonly rows: number;
  readonly size: number;
  readonly rowsPerSec: number;
  readonly cpuUsPerRow: number;
  readonly usage?: ProcessUsage;
  readonly notMeasured?: string;
}

/** The order saga through the three services. */
export interface SagaResult {
  readonly transport: TransportName;
  readonly orders: number;
  readonly ordersPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Per service: CPU and peak memory, read from /proc before the stop. */
  readonly services: Readonly<Record<string, ProcessUsage>>;
  readonly notMeasured?: string;
  /** Something to know about figures that exist (e.g. stale bundles). */
  readonly note?: string;
}

/** Per transport: what the run found, ready for the table and JSON. */
export interface TransportResult {
  readonly transport: TransportName;
  /** Broker version and address, or why it was not reachable. */
  readonly broker: string;
  readonly variants: readonly VariantSummary[];
  readonly ceiling?: CeilingResult;
  /** One per message size. */
  readonly outbox?: readonly OutboxResult[];
  readonly saga?: SagaResult;
  readonly notMeasured?: string;
}
