import { Module } from '@nestjs/common';
import { ReliableMessagingModule } from '@mq/core';
import { ServiceRuntimeModule } from '@mq/service-runtime';
import { ORDER_SERVICE } from './order-service.definition.js';
import { OrderQueriesService } from './orders/order-queries.service.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersService } from './orders/orders.service.js';
import { PaymentResultsHandler } from './orders/payment-results.handler.js';

/** Root module of order-service, the owner of the saga. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot(ORDER_SERVICE),
    ReliableMessagingModule,
  ],
  controllers: [OrdersController, PaymentResultsHandler],
  providers: [OrdersService, OrderQueriesService],
})
export class OrderServiceModule {}
