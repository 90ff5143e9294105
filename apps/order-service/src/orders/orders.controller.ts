import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { CreateOrderRequest } from '@mq/contracts';
import { ListOrdersQuery } from './list-orders.query.js';
import { OrderQueriesService } from './order-queries.service.js';
import type { OrderStats } from './order-stats.js';
import { OrderStatsQuery } from './order-stats.query.js';
import { toOrderView, type OrderView } from './order.view.js';
import { OrdersService } from './orders.service.js';

@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly queries: OrderQueriesService,
  ) {}

  /** Places an order: 201 with it, PENDING; 400 with field errors. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(@Body() request: CreateOrderRequest): Promise<OrderView> {
    return toOrderView(await this.orders.create(request));
  }

  /** Counts per status and placement-to-final latency percentiles. */
  @Get('stats')
  stats(@Query() query: OrderStatsQuery): Promise<OrderStats> {
    return this.queries.stats(query.since ? new Date(query.since) : undefined);
  }

  /** Newest orders, optionally of one status, with the matching count. */
  @Get()
  async list(
    @Query() query: ListOrdersQuery,
  ): Promise<{ count: number; orders: OrderView[] }> {
    const { count, orders } = await this.queries.list(
      query.status,
      query.limit,
    );
    return { count, orders: orders.map(toOrderView) };
  }

  /** One order; 404 when there is none with this id. */
  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<OrderView> {
    return toOrderView(await this.orders.get(id));
  }
}
