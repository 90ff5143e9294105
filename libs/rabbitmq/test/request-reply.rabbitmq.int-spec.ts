import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';
import { lastValueFrom } from 'rxjs';
import { keyed, NonRetriableError, type MessageContext } from '@mq/core';
import {
  RemoteHandlerError,
  RequestFailedError,
  UnroutableMessageError,
} from '../src/index.js';
import { RabbitMqTestBed } from './support/rabbitmq-test-bed.js';

interface QuoteRequest {
  readonly quantity: number;
  readonly unitPriceCents: number;
}

@Controller()
class QuoteController {
  @MessagePattern<string>('quote.price')
  price(
    @Payload() request: QuoteRequest,
    @Ctx() context: MessageContext,
  ): { totalCents: number; key: string } {
    return {
      totalCents: request.quantity * request.unitPriceCents,
      key: context.getEnvelope().key,
    };
  }

  @MessagePattern<string>('quote.refuse')
  refuse(): never {
    throw new NonRetriableError('quotes for order o-16 are closed');
  }

  @MessagePattern<string>('quote.slow')
  async slow(): Promise<string> {
    await sleep(1500);
    return 'too late';
  }
}

describe('RabbitMq request-reply', () => {
  let bed: RabbitMqTestBed;

  beforeAll(async () => {
    bed = await RabbitMqTestBed.create();
    await bed.startServer({ consumerGroup: 'quotes' }, [QuoteController]);
  });

  afterAll(async () => {
    await bed.dispose();
  });

  it('returns the handler result to the caller', async () => {
    const client = await bed.startClient();

    const reply = await lastValueFrom(
      client.send(
        'quote.price',
        keyed('o-16', { quantity: 3, unitPriceCents: 250 }),
      ),
    );

    expect(reply).toEqual({ totalCents: 750, key: 'o-16' });
  });

  it('serves many concurrent requests, each with its own reply', async () => {
    const client = await bed.startClient();

    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        lastValueFrom(
          client.send<{ totalCents: number }>('quote.price', {
            key: `o-${i}`,
            quantity: i,
            unitPriceCents: 10,
          }),
        ),
      ),
    );

    expect(replies.map((reply) => reply.totalCents)).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 10),
    );
  });

  it('hands a handler error to the caller quickly, as an error', async () => {
    const client = await bed.startClient();
    const startedAt = Date.now();

    const failure = await lastValueFrom(
      client.send('quote.refuse', keyed('o-16', {})),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(failure).toBeInstanceOf(RemoteHandlerError);
    expect(failure).toMatchObject({
      pattern: 'quote.refuse',
      remoteName: 'NonRetriableError',
      message: 'quotes for order o-16 are closed',
      retriable: false,
    });
  });

  it('fails at once when no server serves the pattern', async () => {
    const client = await bed.startClient();

    const sending = lastValueFrom(client.send('quote.nobody', keyed('o', {})));

    await expect(sending).rejects.toBeInstanceOf(UnroutableMessageError);
  });

  it('fails with a timeout when the reply takes longer than requestTimeoutMs', async () => {
    const client = await bed.startClient({ requestTimeoutMs: 300 });

    const sending = lastValueFrom(client.send('quote.slow', keyed('o', {})));

    await expect(sending).rejects.toBeInstanceOf(RequestFailedError);
    await expect(sending).rejects.toMatchObject({ reason: 'timeout' });
  });
});
