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
 *
 * Written with `then` rather than `async` functions on purpose: this runs
 * once per message, and with AsyncLocalStorage on, Node 20 runs a hook for
 * every promise created; each avoided promise is measurable. (A shared
 * timer per time limit instead of one per message was tried: Node's
 * timers were cheaper.)
 */
export function invokeHandler(
  handler: MessageHandler,
  payload: unknown,
  context: MessageContext,
  scope: MessageScopeState,
  timeoutMs?: number,
): Promise<unknown> {
  const settled = MessageScope.run(scope, () =>
    runToCompletion(handler, payload, context),
  ).then(undefined, (error: unknown) => {
    throw scope.failure ?? error;
  });
  if (!timeoutMs) {
    return settled;
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new HandlerTimeoutError(scope.envelope.type, timeoutMs)),
      timeoutMs,
    );
    settled.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function runToCompletion(
  handler: MessageHandler,
  payload: unknown,
  context: MessageContext,
): Promise<unknown> {
  let started: Promise<unknown>;
  try {
    started = Promise.resolve(handler(payload, context));
  } catch (error) {
    return Promise.reject(error);
  }
  return started.then((result: unknown) =>
    isObservable(result)
      ? lastValueFrom(result, { defaultValue: undefined })
      : result,
  );
}
