import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SimulatedPaymentGateway } from '../gateway/simulated-payment.gateway.js';
import { DuplicateDeliveries } from './duplicate-deliveries.counter.js';
import { ListPaymentsQuery } from './list-payments.query.js';
import type { PaymentStats } from './payment-stats.js';
import { Payment } from './payment.entity.js';
import { PaymentStatus } from './payment-status.js';
import { toPaymentView, type PaymentView } from './payment.view.js';

/** Newest payments returned by `GET /payments` without a filter. */
const LIST_LIMIT = 100;

interface StatsRow {
  count: number;
  succeeded: number;
  declined: number;
  retried: number;
  retries: number;
}

@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gateway: SimulatedPaymentGateway,
    private readonly duplicates: DuplicateDeliveries,
  ) {}

  /** The payment of one order (a list of 0 or 1), or the newest 100. */
  @Get()
  async list(
    @Query() query: ListPaymentsQuery,
  ): Promise<{ payments: PaymentView[] }> {
    const payments = await this.dataSource.manager.find(Payment, {
      where: query.orderId ? { orderId: query.orderId } : {},
      order: { createdAt: 'DESC' },
      take: LIST_LIMIT,
    });
    return { payments: payments.map(toPaymentView) };
  }

  /** Counts by outcome and the retries the gateway's failures caused. */
  @Get('stats')
  async stats(): Promise<PaymentStats> {
    const row = await this.dataSource.manager
      .createQueryBuilder(Payment, 'p')
      .select('COUNT(*)::int', 'count')
      .addSelect(countWhere(PaymentStatus.succeeded), 'succeeded')
      .addSelect(countWhere(PaymentStatus.declined), 'declined')
      .addSelect('COUNT(*) FILTER (WHERE "p"."attempts" > 1)::int', 'retried')
      .addSelect('COALESCE(SUM("p"."attempts" - 1), 0)::int', 'retries')
      .getRawOne<StatsRow>();
    return {
      count: row?.count ?? 0,
      succeeded: row?.succeeded ?? 0,
      declined: row?.declined ?? 0,
      retried: row?.retried ?? 0,
      retries: row?.retries ?? 0,
      transientFailures: this.gateway.transientFailureCount,
      duplicates: this.duplicates.count,
    };
  }
}

function countWhere(status: PaymentStatus): string {
  return `COUNT(*) FILTER (WHERE "p"."status" = '${status}')::int`;
}
