import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MessageFailureInterceptor } from './message-failure.interceptor.js';
import { MessageValidationPipe } from '../validation/message-validation.pipe.js';

/**
 * Import once in the root module of every service that consumes messages.
 * It registers the interceptor that keeps handler errors intact. For a
 * hybrid app (HTTP plus microservice) connect the transport with
 * `{ inheritAppConfig: true }` so the interceptor reaches message handlers.
 */
@Global()
@Module({
  providers: [
    MessageValidationPipe,
    { provide: APP_INTERCEPTOR, useClass: MessageFailureInterceptor },
  ],
  exports: [MessageValidationPipe],
})
export class ReliableMessagingModule {}
