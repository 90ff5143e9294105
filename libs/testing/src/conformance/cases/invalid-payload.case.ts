import { Controller, type Type } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Type as TransformTo } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { expect } from 'vitest';
import { MessageContext, MessageValidationPipe } from '@mq/core';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { waitForDeadLetter } from '../wait-for-dead-letter.js';

const PATTERN = 'conformance.invalid-payload';

class OrderLine {
  @IsString()
  sku: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

class OrderPlaced {
  @IsString()
  orderId: string;

  @ValidateNested({ each: true })
  @TransformTo(() => OrderLine)
  lines: OrderLine[];
}

/** The pipe reads the parameter's class from decorator metadata. */
function validatingController(handled: MessageRecorder): Type {
  @Controller()
  class ValidatingController {
    // `<string>`: see recording.controller.ts.
    @EventPattern<string>(PATTERN)
    handle(
      @Payload(MessageValidationPipe) order: OrderPlaced,
      @Ctx() context: MessageContext,
    ): void {
      if (!(order instanceof OrderPlaced)) {
        throw new Error('the payload reached the handler unvalidated');
      }
      handled.record(context);
    }
  }
  return ValidatingController;
}

export const invalidPayloadCase: ConformanceCase = {
  title:
    'dead-letters at once a payload that fails validation, naming the ' +
    'nested field',
  async run(context) {
    const group = context.group('invalid_payload');
    const handled = new MessageRecorder();
    const retry = { maxAttempts: 5, initialDelayMs: 50, jitter: 0 };
    await context.startServer(context.serverOptions(group, { retry }), [
      validatingController(handled),
    ]);
    const client = await context.startClient();

    const invalid = await client.publishEvent(
      PATTERN,
      {
        orderId: 'o-6',
        lines: [
          { sku: 'tea-01', quantity: 1 },
          { sku: 'tea-02', quantity: 0 },
        ],
      },
      { key: 'order-6' },
    );
    const valid = await client.publishEvent(
      PATTERN,
      { orderId: 'o-7', lines: [{ sku: 'tea-01', quantity: 3 }] },
      { key: 'order-7' },
    );

    const letter = await waitForDeadLetter(
      context.deadLetters(group),
      invalid.id,
    );
    expect(letter.metadata).toMatchObject({
      attempts: 1,
      consumerGroup: group,
      errorName: 'PayloadValidationError',
      errorMessage: expect.stringContaining('lines[1].quantity'),
    });
    await handled.waitForIds([valid.id]);
    expect(handled.byId(invalid.id)).toHaveLength(0);
  },
};
