import { Logger } from '@nestjs/common';
import { bootstrapService } from '@mq/service-runtime';
import { NotificationServiceModule } from './notification-service.module.js';

bootstrapService(NotificationServiceModule).catch((error: unknown) => {
  new Logger('notification-service').error(
    `failed to start: ${error instanceof Error ? error.stack : String(error)}`,
  );
  process.exit(1);
});
