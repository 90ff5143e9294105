import { Logger, type INestApplication } from '@nestjs/common';
import type { ResolvedService } from '../service-definition.js';
import { RESOLVED_SERVICE } from '../service-runtime.tokens.js';
import { HttpValidationPipe } from '../http/http-validation.pipe.js';
import {
  MESSAGING_TRANSPORT,
  type MessagingTransport,
} from '../transport/messaging-transport.js';

export interface StartServiceOptions {
  /** HTTP port; 0 picks a free one. @default the resolved service port */
  readonly port?: number;
  /** HTTP host. @default '0.0.0.0' */
  readonly host?: string;
  /** Close the app on SIGTERM / SIGINT. @default true */
  readonly shutdownHooks?: boolean;
}

/** A started service: the app and where its HTTP API listens. */
export interface RunningService {
  readonly app: INestApplication;
  readonly port: number;
  readonly url: string;
}

/**
 * Turns a created app (NestFactory.create or a testing module's
 * createNestApplication) into a running service: global HTTP validation,
 * the transport's server connected as a microservice with the app's
 * global enhancers (so MessageFailureInterceptor reaches the handlers),
 * shutdown hooks, then the consumers and the HTTP listener.
 */
export async function startService(
  app: INestApplication,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const service = app.get<ResolvedService>(RESOLVED_SERVICE);
  const transport = app.get<MessagingTransport>(MESSAGING_TRANSPORT);
  const logger = new Logger(service.name);

  app.useGlobalPipes(new HttpValidationPipe());
  app.connectMicroservice(
    { strategy: transport.server },
    { inheritAppConfig: true },
  );
  if (options.shutdownHooks ?? true) {
    app.enableShutdownHooks();
  }

  await app.init();
  await app.startAllMicroservices();
  await app.listen(options.port ?? service.port, options.host ?? '0.0.0.0');

  const port = listeningPort(app);
  logger.log(
    `${service.name} listening on port ${port} ` +
      `(transport ${transport.name}, schema ${service.schema}, ` +
      `group ${service.consumerGroup})`,
  );
  return { app, port, url: `http://127.0.0.1:${port}` };
}

function listeningPort(app: INestApplication): number {
  const address: unknown = app.getHttpServer().address();
  if (typeof address === 'object' && address !== null && 'port' in address) {
    return Number(address.port);
  }
  throw new Error('the HTTP server is not listening on a TCP port');
}
