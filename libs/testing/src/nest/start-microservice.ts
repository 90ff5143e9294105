import type {
  INestMicroservice,
  LogLevel,
  Provider,
  Type,
} from '@nestjs/common';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { ReliableMessagingModule } from '@mq/core';
import { TestLogger } from './test.logger.js';

export interface StartMicroserviceOptions {
  /** The transport's server strategy, e.g. from `kit.createServer(...)`. */
  readonly strategy: CustomTransportStrategy;
  /** Controllers holding the `@EventPattern` / `@MessagePattern` handlers. */
  readonly controllers: readonly Type[];
  readonly providers?: readonly Provider[];
  /**
   * Nest log levels, or false for none. The RPC exception filter's copy of
   * each handler error is left out (see TestLogger).
   * @default ['error', 'warn']
   */
  readonly logger?: LogLevel[] | false;
}

/**
 * Boots a Nest microservice the way a service does, with the
 * ReliableMessagingModule (which keeps handler errors intact for retries
 * and dead letters), and resolves once the strategy is listening. The
 * caller closes it with `app.close()`.
 */
export async function startMicroservice(
  options: StartMicroserviceOptions,
): Promise<INestMicroservice> {
  const moduleRef = await Test.createTestingModule({
    imports: [ReliableMessagingModule],
    controllers: [...options.controllers],
    providers: [...(options.providers ?? [])],
  }).compile();
  const app = moduleRef.createNestMicroservice({
    strategy: options.strategy,
    logger:
      options.logger === false
        ? false
        : new TestLogger(options.logger ?? ['error', 'warn']),
  });
  try {
    await app.listen();
  } catch (error) {
    await closeAfterFailedListen(app, error);
    throw error;
  }
  return app;
}

async function closeAfterFailedListen(
  app: INestMicroservice,
  listenError: unknown,
): Promise<void> {
  try {
    await app.close();
  } catch (closeError) {
    throw new AggregateError(
      [listenError, closeError],
      'microservice failed to listen, then failed to close',
      { cause: closeError },
    );
  }
}
