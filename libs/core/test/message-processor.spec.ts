import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { IsInt, Min } from 'class-validator';
import { throwError, timer, map } from 'rxjs';
import {
  createEnvelope,
  HeaderNames,
  MessageContext,
  MessageValidationPipe,
  NonRetriableError,
  ReliableMessagingModule,
  ReliableServer,
  toWireMessage,
  type InboundDelivery,
  type ProcessOutcome,
  type TransportHealth,
} from '@mq/core';

/** A broker-less server: the test hands it deliveries directly. */
class InMemoryServer extends ReliableServer {
  constructor() {
    super(
      {
        consumerGroup: 'test-group',
        retry: { maxAttempts: 3, initialDelayMs: 100, jitter: 0 },
        handlerTimeoutMs: 200,
      },
      InMemoryServer.name,
    );
  }

  listen(callback: () => void): void {
    callback();
  }

  close(): void {
    return undefined;
  }

  unwrap<T>(): T {
    throw new Error('nothing to unwrap');
  }

  health(): TransportHealth {
    return { status: 'up' };
  }

  deliver(inbound: InboundDelivery): Promise<ProcessOutcome> {
    return this.processor.process(inbound);
  }
}

class Amount {
  @IsInt()
  @Min(1)
  cents!: number;
}

const seen: Array<{ payload: unknown; attempt: number; id: string }> = [];

@Controller()
class TestHandlers {
  @EventPattern<string>('ok.value')
  handleValue(@Payload() payload: unknown, @Ctx() ctx: MessageContext) {
    seen.push({ payload, attempt: ctx.getAttempt(), id: ctx.getEnvelope().id });
    return 'done';
  }

  @EventPattern<string>('ok.observable')
  handleObservable() {
    return timer(5).pipe(map(() => 'late'));
  }

  @EventPattern<string>('fail.observable')
  failObservable() {
    return throwError(() => new TypeError('stream broke'));
  }

  @EventPattern<string>('fail.throw')
  failThrow(): never {
    throw new RangeError('transient trouble');
  }

  @EventPattern<string>('fail.final')
  async failFinal(): Promise<never> {
    await Promise.resolve();
    throw new NonRetriableError('card number is invalid');
  }

  @EventPattern<string>('validated')
  validated(@Payload(MessageValidationPipe) amount: Amount) {
    seen.push({ payload: amount, attempt: 0, id: 'validated' });
  }

  @EventPattern<string>('slow')
  async slow(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

@Module({ imports: [ReliableMessagingModule], controllers: [TestHandlers] })
class TestModule {}

function delivery(
  type: string,
  payload: unknown,
  attempt = 1,
): InboundDelivery {
  const wire = toWireMessage(createEnvelope(type, payload, { key: 'k1' }));
  return { destination: `queue:${type}`, attempt, ...wire };
}

describe('MessageProcessor (through a real Nest microservice)', () => {
  let app: INestMicroservice;
  let server: InMemoryServer;

  beforeAll(async () => {
    server = new InMemoryServer();
    app = await NestFactory.createMicroservice(TestModule, {
      strategy: server,
      logger: false,
    });
    await app.listen();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('process', () => {
    it('hands payload and context to the handler and reports handled', async () => {
      const outcome = await server.deliver(delivery('ok.value', { n: 1 }, 2));
      expect(outcome.kind).toBe('handled');
      const last = seen.at(-1);
      expect(last?.payload).toEqual({ n: 1 });
      expect(last?.attempt).toBe(2);
      expect(outcome.kind === 'handled' && outcome.envelope.id).toBe(last?.id);
    });

    it('waits for a returned Observable to complete', async () => {
      const outcome = await server.deliver(delivery('ok.observable', {}));
      expect(outcome.kind).toBe('handled');
    });

    it('schedules a retry with the real error when an Observable errors', async () => {
      const outcome = await server.deliver(delivery('fail.observable', {}));
      expect(outcome).toMatchObject({
        kind: 'retry',
        delayMs: 100,
        nextAttempt: 2,
        failure: {
          name: 'TypeError',
          message: 'stream broke',
          retriable: true,
        },
      });
      const headers = outcome.kind === 'retry' ? outcome.retryHeaders : {};
      expect(headers[HeaderNames.attempt]).toBe('2');
      expect(headers[HeaderNames.firstFailedAt]).toMatch(/^\d{4}-/);
    });

    it('dead-letters a retriable failure after the last attempt, with metadata', async () => {
      const outcome = await server.deliver(delivery('fail.throw', {}, 3));
      expect(outcome).toMatchObject({
        kind: 'dead-letter',
        metadata: {
          originalDestination: 'queue:fail.throw',
          consumerGroup: 'test-group',
          attempts: 3,
          errorName: 'RangeError',
          errorMessage: 'transient trouble',
        },
      });
    });

    it('dead-letters a NonRetriableError at once', async () => {
      const outcome = await server.deliver(delivery('fail.final', {}));
      expect(outcome).toMatchObject({
        kind: 'dead-letter',
        metadata: { attempts: 1, errorName: 'NonRetriableError' },
      });
    });

    it('dead-letters a payload that fails validation, naming the field', async () => {
      const outcome = await server.deliver(delivery('validated', { cents: 0 }));
      expect(outcome).toMatchObject({
        kind: 'dead-letter',
        metadata: { attempts: 1, errorName: 'PayloadValidationError' },
      });
      expect(
        outcome.kind === 'dead-letter' && outcome.metadata.errorMessage,
      ).toContain('cents');
    });

    it('passes a valid payload through the pipe as a class instance', async () => {
      const outcome = await server.deliver(delivery('validated', { cents: 5 }));
      expect(outcome.kind).toBe('handled');
      expect(seen.at(-1)?.payload).toBeInstanceOf(Amount);
    });

    it('dead-letters a message no handler is bound to', async () => {
      const outcome = await server.deliver(delivery('nobody.listens', {}));
      expect(outcome).toMatchObject({
        kind: 'dead-letter',
        metadata: { errorName: 'NoHandlerError' },
      });
    });

    it('dead-letters a body that is not JSON', async () => {
      const wire = toWireMessage(createEnvelope('ok.value', {}, { key: 'k' }));
      const outcome = await server.deliver({
        destination: 'queue:ok.value',
        attempt: 1,
        headers: wire.headers,
        body: Buffer.from('{"truncated'),
      });
      expect(outcome).toMatchObject({
        kind: 'dead-letter',
        metadata: { errorName: 'MalformedMessageError' },
      });
      expect(
        outcome.kind === 'dead-letter' && outcome.envelope,
      ).toBeUndefined();
    });

    it('dead-letters headers over the default 16 KiB before the handler runs', async () => {
      const envelope = createEnvelope(
        'ok.value',
        { n: 'huge' },
        { key: 'k', headers: { 'x-note': 'é'.repeat(9_000) } },
      );
      const before = seen.length;

      const outcome = await server.deliver({
        destination: 'queue:ok.value',
        attempt: 1,
        ...toWireMessage(envelope),
      });

      expect(outcome).toMatchObject({
        kind: 'dead-letter',
        metadata: { errorName: 'MalformedMessageError', attempts: 1 },
      });
      // 9,000 two-byte characters: counted in bytes, not characters.
      expect(outcome.kind === 'dead-letter' && outcome.failure.message).toMatch(
        /^headers of 18\d{3} bytes exceed the limit of 16384 bytes$/,
      );
      expect(seen).toHaveLength(before);
    });

    it('hands on headers just under the limit', async () => {
      const envelope = createEnvelope(
        'ok.value',
        { n: 'large' },
        { key: 'k', headers: { 'x-note': 'n'.repeat(15_000) } },
      );

      const outcome = await server.deliver({
        destination: 'queue:ok.value',
        attempt: 1,
        ...toWireMessage(envelope),
      });

      expect(outcome.kind).toBe('handled');
      expect(seen.at(-1)?.payload).toEqual({ n: 'large' });
    });

    it('counts a handler over its time limit as a retriable failure', async () => {
      const outcome = await server.deliver(delivery('slow', {}));
      expect(outcome).toMatchObject({
        kind: 'retry',
        failure: { name: 'HandlerTimeoutError', retriable: true },
      });
    });
  });
});
