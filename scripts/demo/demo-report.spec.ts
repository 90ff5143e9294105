import { buildReport, type ReportInput } from './demo-report.js';
import { expectationOf, planOrders } from './order-plan.js';
import type { SystemStats } from './system-stats.js';

function settledStats(confirmed: number, cancelled: number): SystemStats {
  const total = confirmed + cancelled;
  return {
    orders: {
      total,
      byStatus: { PENDING: 0, CONFIRMED: confirmed, CANCELLED: cancelled },
      pending: 0,
      finalized: total,
      latencyMs: {
        count: total,
        p50: 40,
        p95: 90,
        p99: 120,
        max: 150,
        mean: 50,
      },
    },
    payments: {
      count: total,
      succeeded: confirmed,
      declined: cancelled,
      retried: 3,
      retries: 4,
      transientFailures: 4,
      duplicates: 0,
    },
    notifications: {
      count: total,
      byKind: { 'order.confirmed': confirmed, 'order.cancelled': cancelled },
    },
    deadLetters: { orderService: 0, paymentService: 2, notificationService: 0 },
    paymentDeadLetterErrors: { PayloadValidationError: 2 },
  };
}

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    transport: 'postgres',
    namespace: 'demo_test',
    expectation: { orders: 10, confirmed: 8, cancelled: 2 },
    poison: 2,
    stats: settledStats(8, 2),
    settled: true,
    timeoutMs: 120_000,
    sagaMs: 2000,
    elapsedMs: 9000,
    ...overrides,
  };
}

describe('buildReport', () => {
  it('passes a run whose figures match the plan', () => {
    const report = buildReport(input());

    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report).toMatchObject({
      orders: 10,
      confirmed: 8,
      cancelled: 2,
      payments: 10,
      notifications: 10,
      deadLetters: 2,
      retries: 4,
      p50Ms: 40,
      p99Ms: 120,
      throughputPerSec: 5,
    });
  });

  it('names each figure that disagrees with the decline rule', () => {
    const report = buildReport(input({ stats: settledStats(9, 1) }));

    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      'orders confirmed: 9, expected 8',
      'orders cancelled: 1, expected 2',
      'payments succeeded: 9, expected 8',
    ]);
  });

  it('fails a run that timed out with orders pending', () => {
    const stats = settledStats(8, 1);
    const report = buildReport(
      input({
        settled: false,
        stats: {
          ...stats,
          orders: {
            ...stats.orders,
            total: 10,
            pending: 1,
            byStatus: { PENDING: 1, CONFIRMED: 8, CANCELLED: 1 },
          },
        },
      }),
    );

    expect(report.problems).toContain('the saga did not settle within 120 s');
    expect(report.problems).toContain('orders still pending: 1, expected 0');
  });

  it('fails when the dead letters are not the poison sent', () => {
    const report = buildReport(input({ poison: 3 }));

    expect(report.problems).toEqual([
      'dead letters of payment-service: 2, expected 3',
      'dead letters in all services: 2, expected 3',
    ]);
  });
});

describe('planOrders', () => {
  it('plans the same orders for the same seed, some declined by each rule', () => {
    const plan = planOrders(200, 5);

    expect(planOrders(200, 5)).toEqual(plan);
    const reasons = new Set(plan.map((order) => order.declineReason));
    expect(reasons).toContain('card declined');
    expect([...reasons].some((r) => r?.startsWith('amount above'))).toBe(true);
    const expectation = expectationOf(plan);
    expect(expectation.confirmed + expectation.cancelled).toBe(200);
    expect(expectation.confirmed).toBeGreaterThan(expectation.cancelled);
  });
});
