import {
  Injectable,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidatorOptions } from 'class-validator';
import { MessageScope } from '../context/message-scope.js';
import { PayloadValidationError } from '../errors/payload-validation.error.js';
import { flattenValidationErrors } from './flatten-validation-errors.js';

const PRIMITIVES: readonly unknown[] = [String, Boolean, Number, Array, Object];

/**
 * Validates a message payload against its class-validator class, given by
 * the parameter's type: `@Payload(MessageValidationPipe) event: OrderCreated`.
 * A failure is a PayloadValidationError, which is never retried and lands in
 * the dead-letter destination with every failing field path in its reason.
 */
@Injectable()
export class MessageValidationPipe implements PipeTransform {
  private readonly options: ValidatorOptions = {
    forbidUnknownValues: true,
    whitelist: false,
  };

  async transform(
    value: unknown,
    metadata: ArgumentMetadata,
  ): Promise<unknown> {
    const metatype = metadata.metatype;
    if (!metatype || PRIMITIVES.includes(metatype)) {
      return value;
    }
    const messageType = MessageScope.current()?.envelope.type ?? 'message';
    if (typeof value !== 'object' || value === null) {
      throw new PayloadValidationError(messageType, [
        { path: '$', constraints: ['payload must be a JSON object'] },
      ]);
    }
    const instance = plainToInstance(metatype, value) as object;
    const errors = await validate(instance, this.options);
    if (errors.length > 0) {
      throw new PayloadValidationError(
        messageType,
        flattenValidationErrors(errors),
      );
    }
    return instance;
  }
}
