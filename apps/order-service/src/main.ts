import { Logger } from '@nestjs/common';
import { bootstrapService } from '@mq/service-runtime';
import { OrderServiceModule } from './order-service.module.js';

bootstrapService(OrderServiceModule).catch((error: unknown) => {
  new Logger('order-service').error(
    `failed to start: ${error instanceof Error ? error.stack : String(error)}`,
  );
  process.exit(1);
});
