import { BadRequestException } from '@nestjs/common';
import { CreateOrderRequest } from '@mq/contracts';
import { createEnvelope, MessageScope } from '@mq/core';
import { HttpValidationPipe } from '@mq/service-runtime';

const invalidBody = {
  customer: { id: 'c-1', email: 'nope', name: 'Ada' },
  items: [{ sku: 'A', quantity: 0, unitPrice: 1 }],
  currency: 'EUR',
};

const metadata = { type: 'body', metatype: CreateOrderRequest } as const;

describe('HttpValidationPipe', () => {
  describe('transform', () => {
    it('answers 400 with one entry per field path', async () => {
      const failure = await new HttpValidationPipe()
        .transform(invalidBody, metadata)
        .then(
          () => undefined,
          (error: unknown) => error,
        );

      expect(failure).toBeInstanceOf(BadRequestException);
      expect((failure as BadRequestException).getResponse()).toEqual({
        statusCode: 400,
        message: 'Validation failed',
        errors: [
          { path: 'customer.email', constraints: ['email must be an email'] },
          {
            path: 'items[0].quantity',
            constraints: ['quantity must not be less than 1'],
          },
        ],
      });
    });

    it('rejects fields the DTO does not declare', async () => {
      const failure = (await new HttpValidationPipe()
        .transform({ ...invalidBody, total: 5 }, metadata)
        .catch((error: unknown) => error)) as BadRequestException;

      const body = failure.getResponse() as { errors: { path: string }[] };
      expect(body.errors.map((e) => e.path)).toContain('total');
    });

    it('passes message payloads through untouched', async () => {
      const scope = {
        envelope: createEnvelope('order.created', invalidBody, { key: 'k' }),
        consumerGroup: 'g',
        attempt: 1,
      };

      const value = await MessageScope.run(scope, () =>
        new HttpValidationPipe().transform(invalidBody, metadata),
      );

      expect(value).toBe(invalidBody);
    });
  });
});
