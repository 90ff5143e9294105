/** What the relay is doing. */
export type OutboxRelayState =
  'disabled' | 'stopped' | 'connecting' | 'standby' | 'active';

/** Counters of one relay instance since it was created. */
export interface OutboxRelayStats {
  readonly state: OutboxRelayState;
  /** Rows this instance published and marked. */
  readonly publishedTotal: number;
  /** Failed tries: publishes, queries and connects. */
  readonly failures: number;
  /** Failed tries since the last success; 0 when healthy. */
  readonly consecutiveFailures: number;
  /** Message of the last failure. */
  readonly lastError?: string;
  readonly lastErrorAt?: Date;
  readonly lastPublishedAt?: Date;
}
