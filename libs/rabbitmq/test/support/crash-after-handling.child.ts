/**
 * A RabbitMQ consumer in a process of its own that dies (SIGKILL) right
 * after a handler finished, before the acks of that turn are sent: the
 * handler queues the kill with setImmediate, which runs before the ack
 * flush that the handler's success queues later in the same turn. Options
 * come as JSON in CRASH_CHILD_OPTIONS; it prints `handled <id>` per message
 * and `ready` once listening.
 *
 * esbuild (used by tsx) emits no decorator metadata: no injection here.
 */
import { Controller, type Type } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import type { MessageContext } from '@mq/core';
import { startMicroservice } from '@mq/testing';
import { createTestKit } from '../rabbitmq.test-kit.js';

interface CrashChildOptions {
  readonly namespace: string;
  readonly consumerGroup: string;
  readonly pattern: string;
  /** The handler of this many-th message kills the process as it returns. */
  readonly crashAfter: number;
}

const options = JSON.parse(
  process.env.CRASH_CHILD_OPTIONS ?? '{}',
) as CrashChildOptions;
const kit = createTestKit(options.namespace);
await startMicroservice({
  strategy: kit.createServer({
    consumerGroup: options.consumerGroup,
    concurrency: 4,
    handlerTimeoutMs: 0,
  }),
  controllers: [crashingController(options)],
  logger: false,
});
process.stdout.write('ready\n');

function crashingController(child: CrashChildOptions): Type {
  let handled = 0;
  @Controller()
  class CrashingController {
    @EventPattern<string>(child.pattern)
    handle(@Ctx() context: MessageContext): void {
      handled += 1;
      process.stdout.write(`handled ${context.getEnvelope().id}\n`);
      if (handled === child.crashAfter) {
        setImmediate(() => process.kill(process.pid, 'SIGKILL'));
      }
    }
  }
  return CrashingController;
}
