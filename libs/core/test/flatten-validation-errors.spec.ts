import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsEmail,
  IsInt,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  MessageScope,
  MessageValidationPipe,
  PayloadValidationError,
  createEnvelope,
} from '@mq/core';

class Customer {
  @IsEmail()
  email!: string;
}

class Line {
  @IsInt()
  @Min(1)
  quantity!: number;
}

class Order {
  @ValidateNested()
  @Type(() => Customer)
  customer!: Customer;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => Line)
  items!: Line[];
}

async function validateOrder(value: unknown): Promise<unknown> {
  const pipe = new MessageValidationPipe();
  const envelope = createEnvelope('order.created', value, { key: 'k' });
  return MessageScope.run({ envelope, consumerGroup: 'g', attempt: 1 }, () =>
    pipe.transform(value, { type: 'body', metatype: Order }),
  );
}

describe('MessageValidationPipe', () => {
  describe('transform', () => {
    it('returns a class instance for a valid payload', async () => {
      const result = await validateOrder({
        customer: { email: 'a@example.com' },
        items: [{ quantity: 2 }],
      });
      expect(result).toBeInstanceOf(Order);
    });

    it('names every failing field, nested objects and array items included', async () => {
      const failure = await validateOrder({
        customer: { email: 'not-an-email' },
        items: [{ quantity: 1 }, { quantity: 0 }, { quantity: 'x' }],
      }).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(PayloadValidationError);
      const error = failure as PayloadValidationError;
      expect(error.retriable).toBe(false);
      expect(error.violations.map((v) => v.path)).toEqual([
        'customer.email',
        'items[1].quantity',
        'items[2].quantity',
      ]);
      expect(error.message).toContain('order.created');
      expect(error.message).toContain('items[1].quantity');
    });

    it('refuses a payload that is not an object', async () => {
      await expect(validateOrder('text')).rejects.toThrow(
        /must be a JSON object/,
      );
    });
  });
});
