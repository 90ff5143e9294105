/** The answer of `GET /payments/stats`. */
export interface PaymentStats {
  /** Payments stored: one per order handled. */
  readonly count: number;
  readonly succeeded: number;
  readonly declined: number;
  /** Payments that needed more than one delivery. */
  readonly retried: number;
  /** Extra deliveries over all payments: sum of (attempts - 1). */
  readonly retries: number;
  /** Simulated gateway failures thrown by this process since it started. */
  readonly transientFailures: number;
  /**
   * `order.created` deliveries the inbox found already handled, since
   * this process started: redeliveries that changed nothing.
   */
  readonly duplicates: number;
}
