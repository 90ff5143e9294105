import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ReliableMessagingModule } from '@mq/core';
import { ServiceRuntimeModule } from '@mq/service-runtime';
import { paymentGatewayConfig } from './gateway/payment-gateway.config.js';
import { SimulatedPaymentGateway } from './gateway/simulated-payment.gateway.js';
import { PAYMENT_SERVICE } from './payment-service.definition.js';
import { DuplicateDeliveries } from './payments/duplicate-deliveries.counter.js';
import { OrderCreatedHandler } from './payments/order-created.handler.js';
import { PaymentsController } from './payments/payments.controller.js';
import { PaymentsService } from './payments/payments.service.js';

/** Root module of payment-service. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot(PAYMENT_SERVICE),
    ConfigModule.forFeature(paymentGatewayConfig),
    ReliableMessagingModule,
  ],
  controllers: [PaymentsController, OrderCreatedHandler],
  providers: [SimulatedPaymentGateway, PaymentsService, DuplicateDeliveries],
})
export class PaymentServiceModule {}
