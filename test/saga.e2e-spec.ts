import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@mq/testing';
import { buildReport } from '../scripts/demo/demo-report.js';
import { getJson } from '../scripts/demo/http-json.js';
import { driveOrders, type PlacedOrder } from '../scripts/demo/order-driver.js';
import { expectationOf, planOrders } from '../scripts/demo/order-plan.js';
import { waitUntilSettled } from '../scripts/demo/settle-waiter.js';
import type { DemoTransport } from '../scripts/demo/transport-choice.js';
import type { PaymentStats } from '../apps/payment-service/src/payments/payment-stats.js';
import { deliverOrderCreatedAgain } from './support/deliver-again.js';
import { e2eTransports } from './support/e2e-transports.js';
import { startE2eSystem, type E2eSystem } from './support/e2e-system.js';
import { doublyChargedOrders, wrongTrails } from './support/saga-rows.js';

/**
 * Orders per test. A hundred settle in a few seconds on every transport
 * here (the whole file takes about a minute); lower one if a slower
 * broker pushes the file past a few minutes.
 */
const ORDERS: Record<DemoTransport, number> = {
  postgres: 100,
  kafka: 100,
  rabbitmq: 100,
  redis: 100,
};
/** Simulated gateway failures in the first test, repeatable by seed. */
const TRANSIENT_FAILURES = {
  PAYMENT_TRANSIENT_FAILURE_RATE: '0.2',
  PAYMENT_TRANSIENT_FAILURE_SEED: 'e2e',
};
const SETTLE_TIMEOUT_MS = 90_000;

const transports = await e2eTransports();

describe.each(transports)('the order saga over %s', (transport) => {
  const orders = ORDERS[transport];
  let e2e: E2eSystem | undefined;

  afterEach(async (context) => {
    const running = e2e;
    e2e = undefined;
    if (!running) {
      return;
    }
    const failed = context.task.result?.state === 'fail';
    if (failed) {
      console.error(
        `service logs of "${context.task.name}": ${running.logDir}`,
      );
    }
    await running.close({ keepLogs: failed });
  });

  it(`settles ${orders} orders as the decline rule says, one payment and one notification each, through retries`, async () => {
    e2e = await startE2eSystem(transport, {
      serviceEnv: { 'payment-service': TRANSIENT_FAILURES },
    });
    const plan = planOrders(orders, 7);

    const placed = await place(e2e, plan, 8);
    const result = await settle(e2e, orders);

    const report = reportOf(e2e, plan, result);
    expect(report.problems).toEqual([]);
    expect(report.confirmed).toBeGreaterThan(0);
    expect(report.cancelled).toBeGreaterThan(0);
    // Every simulated failure cost exactly one more delivery.
    expect(report.transientFailures).toBeGreaterThan(0);
    expect(report.retries).toBe(report.transientFailures);
    expect(await wrongTrails(e2e, placed)).toEqual([]);
  });

  it(`charges each of ${orders} orders once when every order.created is delivered twice`, async () => {
    e2e = await startE2eSystem(transport);
    const plan = planOrders(orders, 11);
    const placed = await place(e2e, plan, 8);
    await settle(e2e, orders);

    const again = await deliverOrderCreatedAgain(e2e);
    expect(again).toBe(orders);
    // The inbox counts the copies it recognised: once it reaches the
    // number sent, every copy was handled, and stopped by the inbox.
    const stats = await eventually(
      async () => {
        const current = await paymentStats(e2e!);
        expect(current.duplicates).toBe(orders);
        return current;
      },
      30_000,
      200,
    );

    expect(stats.count).toBe(orders);
    expect(await doublyChargedOrders(e2e)).toEqual([]);
    expect(await wrongTrails(e2e, placed)).toEqual([]);
  });

  it(`loses no order and charges none twice when payment-service is killed with SIGKILL and restarted`, async () => {
    e2e = await startE2eSystem(transport);
    const system = e2e.system;
    const plan = planOrders(orders, 13);

    const driving = place(e2e, plan, 2);
    const before = await eventually(
      async () => {
        const current = await paymentStats(e2e!);
        expect(current.count).toBeGreaterThanOrEqual(Math.floor(orders / 4));
        return current;
      },
      60_000,
      20,
    );
    await system.service('payment-service').kill('SIGKILL');
    await sleep(500);
    const restart = system.restart('payment-service');
    const placed = await driving;
    await restart;
    const result = await settle(e2e, orders);

    expect(before.count).toBeLessThan(orders);
    expect(reportOf(e2e, plan, result).problems).toEqual([]);
    expect(await doublyChargedOrders(e2e)).toEqual([]);
    expect(await wrongTrails(e2e, placed)).toEqual([]);
  });
});

function place(
  e2e: E2eSystem,
  plan: ReturnType<typeof planOrders>,
  concurrency: number,
): Promise<PlacedOrder[]> {
  return driveOrders(plan, {
    orderServiceUrl: e2e.system.url('order-service'),
    concurrency,
  });
}

async function settle(e2e: E2eSystem, orders: number) {
  const result = await waitUntilSettled(e2e.system, {
    orders,
    poison: 0,
    timeoutMs: SETTLE_TIMEOUT_MS,
  });
  return result;
}

function reportOf(
  e2e: E2eSystem,
  plan: ReturnType<typeof planOrders>,
  result: Awaited<ReturnType<typeof settle>>,
) {
  return buildReport({
    transport: e2e.transport.name,
    namespace: e2e.namespace,
    expectation: expectationOf(plan),
    poison: 0,
    stats: result.stats,
    settled: result.settled,
    timeoutMs: SETTLE_TIMEOUT_MS,
    sagaMs: result.waitedMs,
    elapsedMs: result.waitedMs,
  });
}

function paymentStats(e2e: E2eSystem): Promise<PaymentStats> {
  return getJson(`${e2e.system.url('payment-service')}/payments/stats`);
}
