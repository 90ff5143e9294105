import { Logger } from '@nestjs/common';
import { bootstrapService } from '@mq/service-runtime';
import { PaymentServiceModule } from './payment-service.module.js';

bootstrapService(PaymentServiceModule).catch((error: unknown) => {
  new Logger('payment-service').error(
    `failed to start: ${error instanceof Error ? error.stack : String(error)}`,
  );
  process.exit(1);
});
