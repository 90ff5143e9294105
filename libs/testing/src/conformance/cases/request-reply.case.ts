import { Controller, type Type } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { lastValueFrom, timeout } from 'rxjs';
import { expect } from 'vitest';
import { keyed, NonRetriableError } from '@mq/core';
import type { ConformanceCase } from '../conformance-case.js';

const QUOTE = 'conformance.quote';
const REFUSE = 'conformance.refuse';
/** A reply that takes longer than this is not "quick". */
const REPLY_WITHIN_MS = 5_000;

interface QuoteRequest {
  readonly quantity: number;
  readonly unitPriceCents: number;
}

function quoteController(): Type {
  @Controller()
  class QuoteController {
    @MessagePattern(QUOTE)
    quote(@Payload() request: QuoteRequest): { totalCents: number } {
      return { totalCents: request.quantity * request.unitPriceCents };
    }

    @MessagePattern(REFUSE)
    refuse(): never {
      throw new NonRetriableError('quotes for order o-16 are closed');
    }
  }
  return QuoteController;
}

export const requestReplyCase: ConformanceCase = {
  title:
    "send() gets the handler's return value, and a handler error reaches " +
    'the caller quickly',
  appliesTo: (features) => features.requestReply,
  async run(context) {
    const group = context.group('request_reply');
    await context.startServer(context.serverOptions(group), [
      quoteController(),
    ]);
    const client = await context.startClient();

    const reply = await lastValueFrom(
      client
        .send(QUOTE, keyed('order-16', { quantity: 3, unitPriceCents: 250 }))
        .pipe(timeout(REPLY_WITHIN_MS)),
    );
    expect(reply).toEqual({ totalCents: 750 });

    const startedAt = Date.now();
    const failure = await lastValueFrom(
      client.send(REFUSE, keyed('order-16', {})).pipe(timeout(REPLY_WITHIN_MS)),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(Date.now() - startedAt).toBeLessThan(REPLY_WITHIN_MS);
    expect(failure).toBeDefined();
    expect(failure).not.toMatchObject({ name: 'TimeoutError' });
    expect(errorText(failure)).toContain('quotes for order o-16 are closed');
  },
};

/** The message of an error as the caller got it: an Error or a plain object. */
function errorText(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : JSON.stringify(error);
}
