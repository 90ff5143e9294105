import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runtimeConfig } from '../config/runtime-config.provider.js';
import { SafeConsoleLogger } from '../logging/safe-console.logger.js';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { startService, type RunningService } from './start-service.js';

/**
 * The whole `main.ts` of a service: creates the app from its root module
 * (which imports ServiceRuntimeModule.forRoot) and starts it on PORT, or
 * the service's default port.
 *
 * @example
 * await bootstrapService(OrderServiceModule);
 */
export async function bootstrapService(
  rootModule: Type,
): Promise<RunningService> {
  // Nest's exception handlers log every unknown error; the safe logger
  // keeps a failed query's values (e-mails, names) out of those lines.
  const app = await NestFactory.create(rootModule, {
    abortOnError: false,
    logger: new SafeConsoleLogger(),
  });
  const config = app.get<RuntimeConfig>(runtimeConfig.KEY);
  try {
    return await startService(app, { host: config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
}
