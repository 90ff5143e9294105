import { Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MessageFailureFilter } from './message-failure.filter.js';
import { MessageValidationPipe } from '../validation/message-validation.pipe.js';

/**
 * Import once in the root module of every service that consumes messages.
 * It registers the exception filter that keeps handler errors intact. For
 * a hybrid app (HTTP plus microservice) connect the transport with
 * `{ inheritAppConfig: true }` so the filter reaches message handlers.
 */
@Global()
@Module({
  providers: [
    MessageValidationPipe,
    { provide: APP_FILTER, useClass: MessageFailureFilter },
  ],
  exports: [MessageValidationPipe],
})
export class ReliableMessagingModule {}
