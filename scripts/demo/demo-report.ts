import type { PlanExpectation } from './order-plan.js';
import type { SystemStats } from './system-stats.js';

/** Everything a finished run measured, and whether it is right. */
export interface DemoReport {
  readonly ok: boolean;
  /** What is wrong, one sentence each; empty when `ok`. */
  readonly problems: readonly string[];
  readonly transport: string;
  readonly namespace: string;
  readonly orders: number;
  readonly expectedConfirmed: number;
  readonly expectedCancelled: number;
  readonly confirmed: number;
  readonly cancelled: number;
  readonly pending: number;
  readonly payments: number;
  readonly paymentsSucceeded: number;
  readonly paymentsDeclined: number;
  readonly notifications: number;
  /** Extra deliveries payments needed: sum of (attempts - 1). */
  readonly retries: number;
  readonly retriedPayments: number;
  readonly transientFailures: number;
  /** order.created redeliveries payment-service's inbox turned into no-ops. */
  readonly duplicates: number;
  readonly poison: number;
  /** Dead letters of all three services. */
  readonly deadLetters: number;
  readonly paymentDeadLetters: number;
  /** payment-service's dead letters by error name. */
  readonly deadLetterErrors: Readonly<Record<string, number>>;
  /** Order placed to order final, over all final orders. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  /** First order sent to every order final. */
  readonly sagaMs: number;
  /** Final orders per second over `sagaMs`. */
  readonly throughputPerSec: number;
  /** The whole run: start of the demo to the summary. */
  readonly elapsedMs: number;
}

export interface ReportInput {
  readonly transport: string;
  readonly namespace: string;
  readonly expectation: PlanExpectation;
  readonly poison: number;
  readonly stats: SystemStats;
  /** False when the wait for the final states timed out. */
  readonly settled: boolean;
  readonly timeoutMs: number;
  readonly sagaMs: number;
  readonly elapsedMs: number;
}

/**
 * Turns the services' figures into the report and checks them against
 * what the run must produce: every order final, confirmed and cancelled
 * as payment-service's decline rule says, one payment and one
 * notification per order, and exactly the poison messages dead-lettered.
 */
export function buildReport(input: ReportInput): DemoReport {
  const { stats, expectation } = input;
  const { orders, payments, notifications, deadLetters } = stats;
  const confirmed = orders.byStatus.CONFIRMED;
  const cancelled = orders.byStatus.CANCELLED;
  const allDeadLetters =
    deadLetters.orderService +
    deadLetters.paymentService +
    deadLetters.notificationService;
  const problems: string[] = [];
  const expect = (actual: number, wanted: number, what: string) => {
    if (actual !== wanted) {
      problems.push(`${what}: ${actual}, expected ${wanted}`);
    }
  };

  if (!input.settled) {
    problems.push(`the saga did not settle within ${input.timeoutMs / 1000} s`);
  }
  expect(orders.pending, 0, 'orders still pending');
  expect(orders.total, expectation.orders, 'orders in order-service');
  expect(confirmed, expectation.confirmed, 'orders confirmed');
  expect(cancelled, expectation.cancelled, 'orders cancelled');
  expect(payments.count, expectation.orders, 'payments');
  expect(payments.succeeded, expectation.confirmed, 'payments succeeded');
  expect(notifications.count, expectation.orders, 'notifications');
  expect(
    deadLetters.paymentService,
    input.poison,
    'dead letters of payment-service',
  );
  expect(allDeadLetters, input.poison, 'dead letters in all services');

  const final = confirmed + cancelled;
  return {
    ok: problems.length === 0,
    problems,
    transport: input.transport,
    namespace: input.namespace,
    orders: expectation.orders,
    expectedConfirmed: expectation.confirmed,
    expectedCancelled: expectation.cancelled,
    confirmed,
    cancelled,
    pending: orders.pending,
    payments: payments.count,
    paymentsSucceeded: payments.succeeded,
    paymentsDeclined: payments.declined,
    notifications: notifications.count,
    retries: payments.retries,
    retriedPayments: payments.retried,
    transientFailures: payments.transientFailures,
    duplicates: payments.duplicates,
    poison: input.poison,
    deadLetters: allDeadLetters,
    paymentDeadLetters: deadLetters.paymentService,
    deadLetterErrors: stats.paymentDeadLetterErrors,
    p50Ms: orders.latencyMs.p50,
    p95Ms: orders.latencyMs.p95,
    p99Ms: orders.latencyMs.p99,
    maxMs: orders.latencyMs.max,
    sagaMs: input.sagaMs,
    throughputPerSec:
      input.sagaMs > 0 ? round1((final * 1000) / input.sagaMs) : 0,
    elapsedMs: input.elapsedMs,
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
