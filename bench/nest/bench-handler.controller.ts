import { Controller, type Type } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { BenchPayload } from '../model/workload.types.js';

/** Receives what a handler got; `context` is the transport's @Ctx(). */
export type HandlerSink = (payload: BenchPayload, context: unknown) => void;

/**
 * A controller with one `@EventPattern(pattern)` handler that hands the
 * payload to `sink`: the smallest handler a service could have, so the
 * figures are the transport's cost. Built per run because the pattern is
 * only known then.
 */
export function benchHandlerController(
  pattern: string,
  sink: HandlerSink,
): Type {
  @Controller()
  class BenchHandlerController {
    // <string> selects Nest's untyped overload, which takes any @Ctx().
    @EventPattern<string>(pattern)
    handle(@Payload() payload: BenchPayload, @Ctx() context: unknown): void {
      sink(payload, context);
    }
  }
  return BenchHandlerController;
}
