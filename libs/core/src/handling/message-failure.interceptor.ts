import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, throwError, type Observable } from 'rxjs';
import { MessageScope } from '../context/message-scope.js';

/**
 * Keeps the error a message handler (or its pipes) threw, as thrown, in the
 * message scope. Nest's RPC exception filter turns errors it does not know
 * into `{ status: 'error', message: 'Internal server error' }`; without this
 * the retry policy could not tell a validation failure from a timeout and
 * dead letters would carry no reason. HTTP requests pass untouched.
 */
@Injectable()
export class MessageFailureInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') {
      return next.handle();
    }
    return next.handle().pipe(
      catchError((error: unknown) => {
        const scope = MessageScope.current();
        if (scope) {
          scope.failure = error;
        }
        return throwError(() => error);
      }),
    );
  }
}
