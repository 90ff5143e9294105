import type { EnvelopePublisher } from '@mq/core';
import type {
  BenchPayload,
  BrokerEndpoints,
  TransportName,
  WorkloadSpec,
} from '../model/workload.types.js';
import type { CeilingResult } from '../model/results.types.js';

/** The sending half of a variant, run in the publisher process. */
export interface BenchPublisher {
  connect(): Promise<void>;
  /** Resolves once the broker confirmed the message. */
  publish(key: string, payload: BenchPayload): Promise<void>;
  close(): Promise<void>;
}

/** The receiving half of a variant, run in the consumer process. */
export interface BenchConsumer {
  /**
   * Messages published while the consumer is stopped are lost (pub/sub):
   * it must run during the burst, and cannot be measured on a backlog.
   */
  readonly live?: boolean;
  /** Creates what must exist before the first publish (queues, groups). */
  prepare(): Promise<void>;
  /** Starts handling; resolves once subscribed. */
  start(handle: (payload: BenchPayload) => void): Promise<void>;
  /** Stops handling after acknowledging what was handled. */
  stop(): Promise<void>;
}

/** A variant module: loaded lazily by the child that runs it. */
export interface VariantModule {
  createPublisher(spec: WorkloadSpec): BenchPublisher;
  createConsumer(spec: WorkloadSpec): BenchConsumer;
}

/** This project's transport also feeds the outbox relay. */
export interface OursVariantModule extends VariantModule {
  /** The event type the benchmark publishes and handles. */
  readonly PATTERN: string;
  createEnvelopePublisher(spec: WorkloadSpec): ConnectedPublisher;
}

export interface ConnectedPublisher extends EnvelopePublisher {
  connect(): Promise<unknown>;
  close(): Promise<void>;
}

/** What the parent process does with a broker, outside the workload. */
export interface BrokerModule {
  readonly transport: TransportName;
  /** Address and version; throws with a readable reason when unreachable. */
  probe(endpoints: BrokerEndpoints): Promise<string>;
  /** Deletes everything a variant run created under its namespace. */
  cleanup(spec: WorkloadSpec): Promise<void>;
  /** The broker's own publishing ceiling, from its tool. */
  ceiling?(context: CeilingContext): Promise<CeilingResult>;
}

export interface CeilingContext {
  readonly endpoints: BrokerEndpoints;
  readonly namespace: string;
  readonly sizes: readonly number[];
  readonly count: number;
  /** Concurrent clients the tool may use: the publish window. */
  readonly clients: number;
}
