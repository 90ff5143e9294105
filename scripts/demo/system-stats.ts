import type { NotificationCount } from '../../apps/notification-service/src/notifications/notifications.controller.js';
import type { OrderStats } from '../../apps/order-service/src/orders/order-stats.js';
import type { PaymentStats } from '../../apps/payment-service/src/payments/payment-stats.js';
import { getJson } from './http-json.js';
import type { SagaSystem } from './saga-system.js';

/** The part of `GET /dead-letters` the demo reads. */
interface DeadLetterPage {
  readonly count: number;
  readonly deadLetters: readonly {
    readonly metadata: { readonly errorName: string };
  }[];
}

/** Most dead letters read to tell why they failed. */
const DEAD_LETTER_SAMPLE = 100;

/** What the three services report at one moment. */
export interface SystemStats {
  readonly orders: OrderStats;
  readonly payments: PaymentStats;
  readonly notifications: NotificationCount;
  /** Dead letters of each service's consumer group. */
  readonly deadLetters: {
    readonly orderService: number;
    readonly paymentService: number;
    readonly notificationService: number;
  };
  /**
   * payment-service's dead letters by error name (of the first
   * DEAD_LETTER_SAMPLE), e.g. `{ PayloadValidationError: 2 }`.
   */
  readonly paymentDeadLetterErrors: Readonly<Record<string, number>>;
}

/** Order counts only: cheap enough to poll several times a second. */
export function readOrderStats(system: SagaSystem): Promise<OrderStats> {
  return getJson<OrderStats>(`${system.url('order-service')}/orders/stats`);
}

/** Every figure the summary shows, read from the services' HTTP APIs. */
export async function readSystemStats(
  system: SagaSystem,
): Promise<SystemStats> {
  const [orders, payments, notifications, ...letters] = await Promise.all([
    readOrderStats(system),
    getJson<PaymentStats>(`${system.url('payment-service')}/payments/stats`),
    getJson<NotificationCount>(
      `${system.url('notification-service')}/notifications/count`,
    ),
    readDeadLetters(system.url('order-service')),
    readDeadLetters(system.url('payment-service')),
    readDeadLetters(system.url('notification-service')),
  ] as const);
  const paymentDeadLetterErrors: Record<string, number> = {};
  for (const letter of letters[1].deadLetters) {
    const name = letter.metadata.errorName || 'unknown';
    paymentDeadLetterErrors[name] = (paymentDeadLetterErrors[name] ?? 0) + 1;
  }
  return {
    orders,
    payments,
    notifications,
    deadLetters: {
      orderService: letters[0].count,
      paymentService: letters[1].count,
      notificationService: letters[2].count,
    },
    paymentDeadLetterErrors,
  };
}

function readDeadLetters(serviceUrl: string): Promise<DeadLetterPage> {
  return getJson<DeadLetterPage>(
    `${serviceUrl}/dead-letters?limit=${DEAD_LETTER_SAMPLE}`,
  );
}
