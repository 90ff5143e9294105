import { AsyncLocalStorage } from 'node:async_hooks';
import type { Envelope } from '../envelope/envelope.js';

/** What is known while a handler runs: the message being handled and by whom. */
export interface MessageScopeState {
  readonly envelope: Envelope;
  readonly consumerGroup: string;
  readonly attempt: number;
  /**
   * The error the handler threw, as thrown. Nest's RPC exception filter
   * replaces unknown errors with a generic object; the failure interceptor
   * keeps the original here so retries and dead letters see the real cause.
   */
  failure?: unknown;
}

const storage = new AsyncLocalStorage<MessageScopeState>();

/** Async-local access to the message currently being handled. */
export const MessageScope = {
  run<T>(state: MessageScopeState, fn: () => T): T {
    return storage.run(state, fn);
  },

  current(): MessageScopeState | undefined {
    return storage.getStore();
  },
};
