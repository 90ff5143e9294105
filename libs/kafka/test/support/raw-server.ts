import type { MessageContext, ReliableServer } from '@mq/core';

export type RawHandler = (
  payload: unknown,
  context: MessageContext,
) => Promise<void>;

/**
 * Binds handlers straight on a server strategy and listens, without a Nest
 * application: what a child process uses, where tsx emits no decorator
 * metadata. Errors reach the processor as thrown.
 */
export async function listenRaw(
  server: ReliableServer,
  handlers: Record<string, RawHandler>,
): Promise<void> {
  for (const [pattern, handler] of Object.entries(handlers)) {
    server.addHandler(
      pattern,
      (payload: unknown, context: MessageContext) => handler(payload, context),
      true,
    );
  }
  await new Promise<void>((resolve, reject) => {
    void server.listen((error?: unknown) =>
      error ? reject(error) : resolve(),
    );
  });
}
