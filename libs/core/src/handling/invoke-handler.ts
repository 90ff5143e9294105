import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import {
  MessageScope,
  type MessageScopeState,
} from '../context/message-scope.js';
import { HandlerTimeoutError } from '../errors/handler-timeout.error.js';
import type { MessageContext } from './message-context.js';

/**
 * Runs a Nest message handler inside the message scope and settles when it
 * has finished: a returned value, promise or Observable completes, or it
 * throws, rejects or errors. The rejection carries the error as the handler
 * threw it (see MessageFailureInterceptor), not Nest's generic replacement.
 *
 * With `timeoutMs` a handler that runs longer rejects with
 * HandlerTimeoutError. JavaScript cannot stop it: its work goes on in the
 * background, which the inbox makes harmless when the retry runs it again.
 */
export async function invokeHandler(
  handler: MessageHandler,
  payload: unknown,
  context: MessageContext,
  scope: MessageScopeState,
  timeoutMs?: number,
): Promise<unknown> {
  const run = MessageScope.run(scope, async () => {
    const result: unknown = await handler(payload, context);
    return isObservable(result)
      ? lastValueFrom(result, { defaultValue: undefined })
      : result;
  });
  const settled = run.catch((error: unknown) => {
    throw scope.failure ?? error;
  });
  if (!timeoutMs) {
    return settled;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HandlerTimeoutError(scope.envelope.type, timeoutMs)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
