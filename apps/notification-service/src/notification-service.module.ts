import { Module } from '@nestjs/common';
import { ReliableMessagingModule } from '@mq/core';
import { ServiceRuntimeModule } from '@mq/service-runtime';
import { NOTIFICATION_SERVICE } from './notification-service.definition.js';
import { FinalOrderHandler } from './notifications/final-order.handler.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { NotificationsService } from './notifications/notifications.service.js';

/** Root module of notification-service. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot(NOTIFICATION_SERVICE),
    ReliableMessagingModule,
  ],
  controllers: [NotificationsController, FinalOrderHandler],
  providers: [NotificationsService],
})
export class NotificationServiceModule {}
