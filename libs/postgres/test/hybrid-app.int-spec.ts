import {
  Body,
  Catch,
  Controller,
  HttpException,
  Get,
  Module,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  ValidationPipe,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IsInt, IsString, Min } from 'class-validator';
import {
  MessageValidationPipe,
  NonRetriableError,
  ReliableMessagingModule,
} from '@mq/core';
import { uniqueName } from '@mq/testing';
import { PostgresServer } from '../src/postgres.server.js';
import { eventually, QueueHarness } from './support/queue-harness.js';

class CreateThing {
  @IsString()
  name: string;

  @IsInt()
  @Min(1)
  size: number;
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body(new ValidationPipe()) body: CreateThing): CreateThing {
    return body;
  }

  @Get(':id')
  find(@Param('id', ParseIntPipe) id: number): never {
    throw new NotFoundException(`thing ${id} does not exist`);
  }
}

@Controller()
class ThingEvents {
  @EventPattern<string>('thing.rejected')
  rejected(): never {
    throw new NonRetriableError('thing was withdrawn');
  }

  @EventPattern<string>('thing.checked')
  checked(@Payload(MessageValidationPipe) thing: CreateThing): void {
    if (!(thing instanceof CreateThing)) {
      throw new Error('the payload reached the handler unvalidated');
    }
  }
}

/** The catch-all HTTP filter of Nest's documentation, as apps copy it. */
@Catch()
class AllExceptionsFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly httpOnly = false,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (this.httpOnly && host.getType() !== 'http') {
      // The workaround: hand every other context's error on, as thrown.
      throw exception;
    }
    const { httpAdapter } = this.adapterHost;
    const status =
      exception instanceof HttpException ? exception.getStatus() : 500;
    httpAdapter.reply(
      host.switchToHttp().getResponse(),
      { statusCode: status },
      status,
    );
  }
}

/** A catch-all filter that only logs: it answers nothing and throws nothing. */
@Catch()
class LogOnlyFilter implements ExceptionFilter {
  readonly seen: unknown[] = [];

  catch(exception: unknown): void {
    this.seen.push(exception);
  }
}

@Module({
  imports: [ReliableMessagingModule],
  controllers: [ThingsController, ThingEvents],
})
class HybridModule {}

let harness: QueueHarness;
let app: INestApplication | undefined;

beforeEach(async () => {
  harness = new QueueHarness(uniqueName('pghyb'));
  await harness.setup();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await harness.teardown();
});

/** The dead letter of `messageId`, once there is one. */
function waitForDeadLetter(server: PostgresServer, messageId: string) {
  return eventually(async () => {
    const letters = await server.deadLetters().list({ limit: 10 });
    const found = letters.find((letter) => letter.messageId === messageId);
    expect(found, `dead letter of ${messageId}`).toBeDefined();
    return found!;
  });
}

/** HTTP plus this transport in one Nest app, as a service runs them. */
async function startHybrid(
  inheritAppConfig: boolean,
  userFilter?: 'http-reply' | 'http-only' | 'log-only',
): Promise<{
  url: string;
  server: PostgresServer;
}> {
  app = await NestFactory.create(HybridModule, { logger: false });
  if (userFilter === 'http-reply') {
    app.useGlobalFilters(new AllExceptionsFilter(app.get(HttpAdapterHost)));
  } else if (userFilter === 'http-only') {
    app.useGlobalFilters(
      new AllExceptionsFilter(app.get(HttpAdapterHost), true),
    );
  } else if (userFilter === 'log-only') {
    app.useGlobalFilters(new LogOnlyFilter());
  }
  const server = new PostgresServer({
    connection: harness.url,
    schema: harness.schema.name,
    consumerGroup: 'things',
    pollIntervalMs: 100,
    retry: { maxAttempts: 3, initialDelayMs: 20, jitter: 0 },
  });
  app.connectMicroservice({ strategy: server }, { inheritAppConfig });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  return { url: await app.getUrl(), server };
}

describe('a hybrid app (HTTP + PostgresServer) with ReliableMessagingModule', () => {
  it('answers HTTP errors as usual and dead-letters handler errors under their own names', async () => {
    const { url, server } = await startHybrid(true);

    const invalid = await fetch(`${url}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'box', size: 0 }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ statusCode: 400 });
    const missing = await fetch(`${url}/things/7`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      statusCode: 404,
      message: 'thing 7 does not exist',
    });
    expect((await fetch(`${url}/things/seven`)).status).toBe(400);
    const created = await fetch(`${url}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'box', size: 2 }),
    });
    expect(created.status).toBe(201);

    const client = harness.client();
    const rejected = await client.publishEvent(
      'thing.rejected',
      {},
      { key: 't-1' },
    );
    const badPayload = await client.publishEvent(
      'thing.checked',
      { name: 'box', size: 'big' },
      { key: 't-2' },
    );
    const first = await waitForDeadLetter(server, rejected.id);
    expect(first.metadata).toMatchObject({
      errorName: 'NonRetriableError',
      errorMessage: 'thing was withdrawn',
      attempts: 1,
    });
    const second = await waitForDeadLetter(server, badPayload.id);
    expect(second.metadata).toMatchObject({
      errorName: 'PayloadValidationError',
      attempts: 1,
    });
  });

  it('without inheritAppConfig the handler errors lose their names (the interceptor does not reach the transport)', async () => {
    const { server } = await startHybrid(false);
    const client = harness.client();
    const rejected = await client.publishEvent(
      'thing.rejected',
      {},
      { key: 't-1' },
    );
    const letter = await waitForDeadLetter(server, rejected.id);
    // Nest gives a hybrid app's microservice the APP_INTERCEPTOR providers
    // only with inheritAppConfig: Nest's RPC filter then replaces the error, so
    // a NonRetriableError is retried to the end under a generic name.
    // This pins why every example must pass `{ inheritAppConfig: true }`.
    expect(letter.metadata).toMatchObject({
      errorName: 'UnknownError',
      errorMessage: 'Internal server error',
      attempts: 3,
    });
  });

  // Found against an exception-filter version of the core's error capture:
  // a catch-all filter of the app's own ran first and hid the error. The
  // interceptor sees the error before any filter does.
  it('keeps the handler error when the app also has a catch-all HTTP filter', async () => {
    const { url, server } = await startHybrid(true, 'http-reply');
    expect((await fetch(`${url}/things/7`)).status).toBe(404);

    const client = harness.client();
    const rejected = await client.publishEvent(
      'thing.rejected',
      {},
      { key: 't-1' },
    );
    const letter = await waitForDeadLetter(server, rejected.id);
    expect(letter.metadata).toMatchObject({
      errorName: 'NonRetriableError',
      errorMessage: 'thing was withdrawn',
      attempts: 1,
    });
  });

  // The same with a filter that only logs: Nest's RPC filter would replace
  // what it let through, and the message would be retried to the end.
  it('dead-letters a NonRetriableError at once when a catch-all filter only logs it', async () => {
    const { server } = await startHybrid(true, 'log-only');

    const client = harness.client();
    const rejected = await client.publishEvent(
      'thing.rejected',
      {},
      { key: 't-1' },
    );
    const letter = await waitForDeadLetter(server, rejected.id);
    expect(letter.metadata).toMatchObject({
      errorName: 'NonRetriableError',
      attempts: 1,
    });
  });

  it('keeps the handler error under a catch-all filter that rethrows outside HTTP', async () => {
    const { url, server } = await startHybrid(true, 'http-only');
    expect((await fetch(`${url}/things/7`)).status).toBe(404);

    const client = harness.client();
    const rejected = await client.publishEvent(
      'thing.rejected',
      {},
      { key: 't-1' },
    );
    const letter = await waitForDeadLetter(server, rejected.id);
    expect(letter.metadata).toMatchObject({
      errorName: 'NonRetriableError',
      attempts: 1,
    });
  });
});
