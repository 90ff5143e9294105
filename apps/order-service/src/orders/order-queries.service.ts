import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { Order } from './order.entity.js';
import type { LatencyStats, OrderStats } from './order-stats.js';
import { ORDER_STATUSES, OrderStatus } from './order-status.js';

const DEFAULT_LIMIT = 50;

/** Milliseconds from placement to the final state of one order. */
const LATENCY_MS =
  'EXTRACT(EPOCH FROM ("o"."finalized_at" - "o"."created_at")) * 1000';

interface LatencyRow {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/** Read side of the orders API: lists, counts and latency figures. */
@Injectable()
export class OrderQueriesService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, with the number of all orders that match. */
  async list(
    status: OrderStatus | undefined,
    limit = DEFAULT_LIMIT,
  ): Promise<{ count: number; orders: Order[] }> {
    const [orders, count] = await this.dataSource.manager.findAndCount(Order, {
      where: status ? { status } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    return { count, orders };
  }

  /** Counts per status and latency percentiles, optionally since a time. */
  async stats(since?: Date): Promise<OrderStats> {
    const counts = await this.orders(since)
      .select('"o"."status"', 'status')
      .addSelect('COUNT(*)::int', 'count')
      .groupBy('"o"."status"')
      .getRawMany<{ status: OrderStatus; count: number }>();
    const byStatus = Object.fromEntries(
      ORDER_STATUSES.map((status) => [status, 0]),
    ) as Record<OrderStatus, number>;
    for (const row of counts) {
      byStatus[row.status] = row.count;
    }
    const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
    return {
      total,
      byStatus,
      pending: byStatus[OrderStatus.pending],
      finalized: total - byStatus[OrderStatus.pending],
      latencyMs: await this.latency(since),
    };
  }

  private async latency(since?: Date): Promise<LatencyStats> {
    const row = await this.orders(since)
      .select('COUNT(*)::int', 'count')
      .addSelect(percentile(0.5), 'p50')
      .addSelect(percentile(0.95), 'p95')
      .addSelect(percentile(0.99), 'p99')
      .addSelect(`MAX(${LATENCY_MS})::float8`, 'max')
      .addSelect(`AVG(${LATENCY_MS})::float8`, 'mean')
      .andWhere('"o"."finalized_at" IS NOT NULL')
      .getRawOne<LatencyRow>();
    return {
      count: row?.count ?? 0,
      p50: rounded(row?.p50),
      p95: rounded(row?.p95),
      p99: rounded(row?.p99),
      max: rounded(row?.max),
      mean: rounded(row?.mean),
    };
  }

  private orders(since?: Date): SelectQueryBuilder<Order> {
    const query = this.dataSource.manager.createQueryBuilder(Order, 'o');
    return since ? query.where('"o"."created_at" >= :since', { since }) : query;
  }
}

function percentile(fraction: number): string {
  return (
    `PERCENTILE_CONT(${fraction}) WITHIN GROUP (ORDER BY ${LATENCY_MS})` +
    '::float8'
  );
}

function rounded(value: number | null | undefined): number | null {
  return value === null || value === undefined
    ? null
    : Math.round(value * 10) / 10;
}
