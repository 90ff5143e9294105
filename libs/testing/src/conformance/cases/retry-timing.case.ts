import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';

const PATTERN = 'conformance.retry-timing';
const INITIAL_DELAY_MS = 200;
const MULTIPLIER = 2;
/**
 * Share of each delay the suite accepts as "on time": timers, clocks and a
 * busy machine make retries a little early or late. Late is never failed.
 */
const TOLERANCE = 0.75;

export const retryTimingCase: ConformanceCase = {
  title:
    'waits for the backoff delay before each retry ' +
    `(${INITIAL_DELAY_MS} ms, then x${MULTIPLIER})`,
  async run(context) {
    const group = context.group('retry_timing');
    const attempts = new MessageRecorder();
    const handled = new MessageRecorder();
    const retry = {
      maxAttempts: 3,
      initialDelayMs: INITIAL_DELAY_MS,
      multiplier: MULTIPLIER,
      maxDelayMs: 10_000,
      jitter: 0,
    };
    await context.startServer(context.serverOptions(group, { retry }), [
      recordingController({
        pattern: PATTERN,
        attempts,
        handled,
        behaviour: (ctx) => {
          if (ctx.getAttempt() < 3) {
            throw new Error(`failing attempt ${ctx.getAttempt()} on purpose`);
          }
        },
      }),
    ]);
    const client = await context.startClient();
    const sent = await client.publishEvent(
      PATTERN,
      { orderId: 'o-3' },
      { key: 'order-3' },
    );

    await handled.waitFor(1, 15_000);
    const runs = attempts.byId(sent.id);
    expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
    const firstGap = runs[1].at - runs[0].at;
    const secondGap = runs[2].at - runs[1].at;
    expect(firstGap).toBeGreaterThanOrEqual(INITIAL_DELAY_MS * TOLERANCE);
    expect(secondGap).toBeGreaterThanOrEqual(
      INITIAL_DELAY_MS * MULTIPLIER * TOLERANCE,
    );
  },
};
