/** What a transport reports to a health endpoint. */
export interface TransportHealth {
  readonly status: 'up' | 'down';
  /** Why it is down, or what it is connected to. Never a secret. */
  readonly detail?: string;
}

export interface HealthReporter {
  health(): TransportHealth;
}
