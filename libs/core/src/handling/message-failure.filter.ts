import {
  Catch,
  type ArgumentsHost,
  type RpcExceptionFilter,
} from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { MessageScope } from '../context/message-scope.js';

/**
 * Matches, through `instanceof`, any value thrown while this project's
 * server is running a message handler (while a MessageScope is active),
 * and nothing else: HTTP requests and Nest's own transports never match,
 * so Nest goes on to their filters as if this one did not exist.
 */
class ThrownWhileHandlingMessage {
  static [Symbol.hasInstance](): boolean {
    return MessageScope.current() !== undefined;
  }
}

/**
 * Keeps the error a message handler (or its pipes and guards) threw, as
 * thrown. Nest's RPC exception filter turns errors it does not know into
 * `{ status: 'error', message: 'Internal server error' }`; without this the
 * retry policy could not tell a validation failure from a timeout and dead
 * letters would carry no reason. It rethrows the original, and records it
 * in the message scope too.
 *
 * A filter rather than an interceptor on purpose: it only runs when a
 * handler fails. A global interceptor puts every message through Nest's
 * RxJS interceptor chain, which doubled the core's CPU per message.
 */
@Catch(ThrownWhileHandlingMessage)
export class MessageFailureFilter implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    const scope = MessageScope.current();
    if (scope) {
      scope.failure = exception;
    }
    return throwError(() => exception);
  }
}
