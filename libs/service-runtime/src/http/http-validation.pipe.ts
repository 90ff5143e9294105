import {
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
} from '@nestjs/common';
import { MessageScope } from '@mq/core';
import { validationExceptionFactory } from './validation-exception.factory.js';

/**
 * Nest's ValidationPipe for HTTP input only. A hybrid app connected with
 * `inheritAppConfig: true` hands its global pipes to message handlers too,
 * and Nest reports an `@Payload()` to pipes as a `body`; there this pipe
 * would answer a bad payload with an HTTP 400, which the retry policy
 * takes for a transient failure. So it steps aside while a message is
 * being handled (a MessageScope is active) and leaves payloads to
 * MessageValidationPipe, whose failure is dead-lettered at once.
 *
 * Unknown fields are rejected, values are turned into DTO instances.
 */
@Injectable()
export class HttpValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      exceptionFactory: validationExceptionFactory,
    });
  }

  override async transform(
    value: unknown,
    metadata: ArgumentMetadata,
  ): Promise<unknown> {
    if (MessageScope.current()) {
      return value;
    }
    return super.transform(value, metadata);
  }
}
