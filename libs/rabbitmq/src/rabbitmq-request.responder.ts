import type { Logger } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import {
  classifyError,
  fromWireMessage,
  invokeHandler,
  JSON_CONTENT_TYPE,
  JsonCodec,
  MessageContext,
  NoHandlerError,
  type Envelope,
} from '@mq/core';
import type { Message } from 'amqplib';
import type { ConfirmedPublisher } from './confirmed.publisher.js';
import type { RpcReply } from './rpc-reply.js';

export interface RequestResponderOptions {
  readonly consumerGroup: string;
  readonly handlerTimeoutMs: number;
  readonly resolveHandler: (pattern: string) => MessageHandler | null;
  readonly logger: Logger;
}

/**
 * Serves `@MessagePattern` requests: runs the handler and publishes its
 * result, or its error (name, message, retriable), to the request's
 * reply-to with the request's correlation id. A request is never retried or
 * dead-lettered: the caller is waiting and gets the error at once.
 */
export class RequestResponder {
  constructor(private readonly options: RequestResponderOptions) {}

  async respond(
    message: Message,
    headers: Record<string, string>,
    destination: string,
    publisher: ConfirmedPublisher,
  ): Promise<void> {
    const { replyTo, correlationId } = message.properties;
    let envelope: Envelope | undefined;
    let reply: RpcReply;
    try {
      envelope = fromWireMessage({ headers, body: message.content });
      reply = { response: await this.run(envelope, destination) };
    } catch (error) {
      const failure = classifyError(error);
      this.options.logger.warn(
        `request ${envelope?.type ?? '?'} id=${envelope?.id ?? '?'} ` +
          `failed: ${failure.name}: ${failure.message}`,
      );
      reply = { err: failure };
    }
    if (typeof replyTo !== 'string' || replyTo.length === 0) {
      this.options.logger.warn(
        `request id=${envelope?.id ?? '?'} has no reply-to; reply dropped`,
      );
      return;
    }
    await publisher.publish('', replyTo, this.encode(reply), {
      correlationId: typeof correlationId === 'string' ? correlationId : '',
      contentType: JSON_CONTENT_TYPE,
      persistent: false,
    });
  }

  private run(envelope: Envelope, destination: string): Promise<unknown> {
    const handler = this.options.resolveHandler(envelope.type);
    if (!handler) {
      throw new NoHandlerError(envelope.type);
    }
    const group = this.options.consumerGroup;
    const context = new MessageContext([
      envelope,
      { destination, consumerGroup: group, attempt: 1 },
    ]);
    return invokeHandler(
      handler,
      envelope.payload,
      context,
      { envelope, consumerGroup: group, attempt: 1 },
      this.options.handlerTimeoutMs,
    );
  }

  private encode(reply: RpcReply): Buffer {
    try {
      return JsonCodec.encode(reply);
    } catch (error) {
      // A result JSON cannot carry still gets the caller an answer.
      return JsonCodec.encode({ err: classifyError(error) });
    }
  }
}
