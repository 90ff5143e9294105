import { Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { ReliableMessagingModule } from '@mq/core';

export interface BenchAppOptions {
  readonly controller: Type;
  /** A server strategy, or Nest's `{ transport, options }`. */
  readonly microservice: MicroserviceOptions;
  /** This project's transports need the module that keeps handler errors. */
  readonly reliable: boolean;
}

/**
 * Boots a Nest microservice as a service would (one module, one
 * controller) and resolves once its transport is listening. Only errors
 * and warnings are logged, so logging costs the same for every variant.
 */
export async function startBenchApp(
  options: BenchAppOptions,
): Promise<INestMicroservice> {
  @Module({
    imports: options.reliable ? [ReliableMessagingModule] : [],
    controllers: [options.controller],
  })
  class BenchModule {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    BenchModule,
    { ...options.microservice, logger: ['error', 'warn'] },
  );
  await app.listen();
  return app;
}
