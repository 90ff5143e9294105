import type { INestMicroservice } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { BenchConsumer } from '../transports/adapter.types.js';
import type { BenchPayload } from '../model/workload.types.js';
import {
  benchHandlerController,
  type HandlerSink,
} from '../nest/bench-handler.controller.js';
import { startBenchApp } from '../nest/start-bench-app.js';

export interface NestAppConsumerOptions {
  /** The pattern the handler is bound to. */
  readonly pattern: string;
  /** A fresh server per start: strategies are not meant to listen twice. */
  readonly microservice: () => MicroserviceOptions;
  readonly reliable: boolean;
  /** Runs after the payload was recorded, e.g. a manual ack. */
  readonly afterHandle?: (context: unknown) => void;
  readonly prepare?: () => Promise<void>;
  readonly live?: boolean;
}

/** A consumer that is a Nest microservice with one event handler. */
export class NestAppConsumer implements BenchConsumer {
  readonly live: boolean;
  private app?: INestMicroservice;

  constructor(private readonly options: NestAppConsumerOptions) {
    this.live = options.live ?? false;
  }

  async prepare(): Promise<void> {
    await this.options.prepare?.();
  }

  async start(handle: (payload: BenchPayload) => void): Promise<void> {
    const after = this.options.afterHandle;
    const sink: HandlerSink = after
      ? (payload, context) => {
          handle(payload);
          after(context);
        }
      : (payload) => handle(payload);
    this.app = await startBenchApp({
      controller: benchHandlerController(this.options.pattern, sink),
      microservice: this.options.microservice(),
      reliable: this.options.reliable,
    });
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    await app?.close();
  }
}
