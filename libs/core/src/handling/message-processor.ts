import { Logger } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import type { MessageScopeState } from '../context/message-scope.js';
import type { Envelope } from '../envelope/envelope.js';
import { HeaderNames } from '../envelope/header-names.js';
import { fromWireMessage } from '../envelope/wire-format.js';
import { classifyError, type FailureInfo } from '../errors/classify-error.js';
import { MalformedMessageError } from '../errors/malformed-message.error.js';
import { NoHandlerError } from '../errors/no-handler.error.js';
import type { RetryPolicy } from '../retry/retry-policy.js';
import { headersOverLimit } from './header-size.js';
import type { InboundDelivery } from './inbound-delivery.js';
import { invokeHandler } from './invoke-handler.js';
import { MessageContext } from './message-context.js';
import type { ProcessOutcome } from './process-outcome.js';

export interface MessageProcessorOptions {
  readonly consumerGroup: string;
  readonly retryPolicy: RetryPolicy;
  /** Finds the Nest handler bound to a pattern. */
  readonly resolveHandler: (pattern: string) => MessageHandler | null;
  /** Time limit per handler run; 0 or undefined for none. */
  readonly handlerTimeoutMs?: number;
  /** Largest size of a delivery's headers; see ReliableServerOptions. */
  readonly maxHeaderBytes?: number;
  readonly logger?: Logger;
}

/**
 * The transport-independent part of consuming: decode, route, run the
 * handler, and decide between done, retry and dead letter. It never touches
 * a broker; each transport carries out the outcome in its native way.
 */
export class MessageProcessor {
  private readonly logger: Logger;

  constructor(private readonly options: MessageProcessorOptions) {
    this.logger = options.logger ?? new Logger(MessageProcessor.name);
  }

  async process(delivery: InboundDelivery): Promise<ProcessOutcome> {
    const limit = this.options.maxHeaderBytes;
    const headerBytes = limit && headersOverLimit(delivery.headers, limit);
    if (headerBytes) {
      const error = new MalformedMessageError(
        `headers of ${headerBytes} bytes exceed the limit of ${limit} bytes`,
      );
      return this.deadLetter(delivery, undefined, classifyError(error));
    }
    let envelope: Envelope;
    try {
      envelope = fromWireMessage(delivery, delivery.fallbackType);
    } catch (error) {
      return this.deadLetter(delivery, undefined, classifyError(error));
    }

    const handler = this.options.resolveHandler(envelope.type);
    if (!handler) {
      const failure = classifyError(new NoHandlerError(envelope.type));
      return this.deadLetter(delivery, envelope, failure);
    }

    try {
      await this.run(handler, envelope, delivery);
      return { kind: 'handled', envelope };
    } catch (error) {
      return this.afterFailure(delivery, envelope, classifyError(error));
    }
  }

  private run(
    handler: MessageHandler,
    envelope: Envelope,
    delivery: InboundDelivery,
  ): Promise<unknown> {
    const info = {
      destination: delivery.destination,
      consumerGroup: this.options.consumerGroup,
      attempt: delivery.attempt,
    };
    const scope: MessageScopeState = {
      envelope,
      consumerGroup: this.options.consumerGroup,
      attempt: delivery.attempt,
    };
    const context = new MessageContext([envelope, info]);
    return invokeHandler(
      handler,
      envelope.payload,
      context,
      scope,
      this.options.handlerTimeoutMs,
    );
  }

  private afterFailure(
    delivery: InboundDelivery,
    envelope: Envelope,
    failure: FailureInfo,
  ): ProcessOutcome {
    const decision = this.options.retryPolicy.decide(
      delivery.attempt,
      failure.retriable,
    );
    if (decision.action === 'dead-letter') {
      return this.deadLetter(delivery, envelope, failure);
    }
    this.logger.error(
      `handler failed for ${envelope.type} id=${envelope.id} ` +
        `key=${envelope.key} attempt=${delivery.attempt}: ` +
        `${failure.name}: ${failure.message}; retry in ${decision.delayMs} ms`,
    );
    const nextAttempt = delivery.attempt + 1;
    return {
      kind: 'retry',
      envelope,
      failure,
      delayMs: decision.delayMs,
      nextAttempt,
      retryHeaders: {
        [HeaderNames.attempt]: String(nextAttempt),
        [HeaderNames.firstFailedAt]: firstFailedAt(delivery, nowIso()),
      },
    };
  }

  private deadLetter(
    delivery: InboundDelivery,
    envelope: Envelope | undefined,
    failure: FailureInfo,
  ): ProcessOutcome {
    const now = nowIso();
    const metadata = {
      originalDestination: delivery.destination,
      consumerGroup: this.options.consumerGroup,
      attempts: delivery.attempt,
      errorName: failure.name,
      errorMessage: failure.message,
      firstFailedAt: firstFailedAt(delivery, now),
      lastFailedAt: now,
    };
    const id = envelope?.id ?? delivery.headers[HeaderNames.id] ?? '?';
    this.logger.warn(
      `dead-lettering id=${id} from ${delivery.destination} ` +
        `after ${delivery.attempt} attempt(s): ${failure.name}: ` +
        failure.message,
    );
    return { kind: 'dead-letter', envelope, failure, metadata };
  }
}

function nowIso(): string {
  return new Date().toISOString();
}

function firstFailedAt(delivery: InboundDelivery, now: string): string {
  return delivery.headers[HeaderNames.firstFailedAt] ?? now;
}
