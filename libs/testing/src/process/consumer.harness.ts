/**
 * A consumer in a process of its own, for the consumer-crash case. Run it as
 * `node --import tsx consumer.harness.ts` with the options as JSON in
 * MQ_CONSUMER_HARNESS_OPTIONS (see spawnConsumer). It starts a server for
 * the parent's kit namespace and reports on stdout, one line each, when it
 * is ready and when it starts and finishes a message. A message with the
 * `hangOnKey` key never finishes, so the parent can kill the process while
 * that handler runs.
 *
 * esbuild (used by tsx) emits no decorator metadata, so the controller
 * closes over its options instead of using constructor injection.
 */
import { Controller, type Type } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import type { MessageContext } from '@mq/core';
import { loadTestKitModule } from '../conformance/load-test-kit.js';
import { startMicroservice } from '../nest/start-microservice.js';
import {
  formatHarnessEvent,
  HARNESS_OPTIONS_ENV,
  type ConsumerHarnessOptions,
  type HarnessEvent,
} from './consumer-harness.protocol.js';

const options = readOptions();
const kitModule = await loadTestKitModule(options.kitModule);
const kit = await kitModule.createTestKit(options.namespace);
const app = await startMicroservice({
  strategy: kit.createServer(options.server),
  controllers: [harnessController(options)],
});
report({ kind: 'ready', pid: process.pid });

// A graceful stop for cleanup; the crash case uses SIGKILL instead.
process.once('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`harness: close failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});

function harnessController(harness: ConsumerHarnessOptions): Type {
  @Controller()
  class ConsumerHarnessController {
    // `<string>`: see recording.controller.ts.
    @EventPattern<string>(harness.pattern)
    async handle(@Ctx() context: MessageContext): Promise<void> {
      const { id, key } = context.getEnvelope();
      report({ kind: 'started', id, key, attempt: context.getAttempt() });
      if (key === harness.hangOnKey) {
        await new Promise<never>(() => undefined);
      }
      report({ kind: 'handled', id });
    }
  }
  return ConsumerHarnessController;
}

function report(event: HarnessEvent): void {
  process.stdout.write(formatHarnessEvent(event));
}

function readOptions(): ConsumerHarnessOptions {
  const raw = process.env[HARNESS_OPTIONS_ENV];
  if (!raw) {
    throw new Error(`consumer harness: ${HARNESS_OPTIONS_ENV} is not set`);
  }
  return JSON.parse(raw) as ConsumerHarnessOptions;
}
