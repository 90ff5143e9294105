import { Controller, type Type } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import type { MessageContext } from '@mq/core';
import type { MessageRecorder } from './message-recorder.js';

export interface RecordingControllerOptions {
  /** The `@EventPattern` to bind. */
  readonly pattern: string;
  /** Records every run that finished without throwing. */
  readonly handled: MessageRecorder;
  /** Records every run as it starts, failing ones included. */
  readonly attempts?: MessageRecorder;
  /** Names the server in the records, to tell competing servers apart. */
  readonly label?: string;
  /**
   * The handler's work, run between the two records: throw to fail the
   * attempt, wait to make it slow.
   */
  readonly behaviour?: (context: MessageContext) => unknown;
}

/**
 * A controller class with one event handler that records what it handles.
 * It closes over its options instead of using constructor injection, so it
 * also works where no decorator metadata is emitted (tsx, esbuild).
 */
export function recordingController(options: RecordingControllerOptions): Type {
  const label = options.label ?? 'server';

  @Controller()
  class RecordingController {
    // `<string>` picks the untyped overload: the typed one demands that
    // every parameter after the payload accept `unknown`, so no @Ctx().
    @EventPattern<string>(options.pattern)
    async handle(@Ctx() context: MessageContext): Promise<void> {
      options.attempts?.record(context, label);
      await options.behaviour?.(context);
      options.handled.record(context, label);
    }
  }

  return RecordingController;
}
