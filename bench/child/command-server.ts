import type { ProcessUsage } from '../model/results.types.js';
import type { ChildMessage, CommandMessage } from './child-protocol.js';

export type CommandHandlers = Readonly<
  Record<string, (args: unknown) => Promise<unknown>>
>;

/**
 * Answers the parent's commands one message at a time, in the order they
 * come (commands of one child may overlap: a consumer waits while the
 * parent tells the publisher to send). Every child also answers `usage`
 * with its own CPU time and peak memory, and exits when the parent goes.
 */
export function serveCommands(handlers: CommandHandlers): void {
  const all: CommandHandlers = { ...handlers, usage: () => ownUsage() };
  process.on('message', (message: CommandMessage) => {
    void answer(all, message);
  });
  // The parent closes the channel when it is done with this child (or
  // dies): nothing is left to do here.
  process.on('disconnect', () => process.exit(0));
  send({ loaded: true });
}

async function answer(
  handlers: CommandHandlers,
  message: CommandMessage,
): Promise<void> {
  const handler = handlers[message.command];
  if (!handler) {
    send({
      id: message.id,
      ok: false,
      error: `unknown command "${message.command}"`,
    });
    return;
  }
  try {
    const result = await handler(message.args);
    send({ id: message.id, ok: true, result: result ?? null });
  } catch (error) {
    send({ id: message.id, ok: false, error: describe(error) });
  }
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function ownUsage(): Promise<ProcessUsage> {
  const cpu = process.cpuUsage();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** An error as one line plus its cause: what the table's note shows. */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const cause =
    error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  const aggregate =
    error instanceof AggregateError
      ? ` [${error.errors.map((e: unknown) => describe(e)).join('; ')}]`
      : '';
  return `${error.name}: ${error.message}${cause}${aggregate}`;
}
