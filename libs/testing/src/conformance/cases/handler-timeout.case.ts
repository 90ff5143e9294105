import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { waitForDeadLetter } from '../wait-for-dead-letter.js';

const PATTERN = 'conformance.timeout';
const TIMEOUT_MS = 250;
const SLOW_MS = 1_000;

export const handlerTimeoutCase: ConformanceCase = {
  title:
    'counts a handler over handlerTimeoutMs as a failure: retried, and ' +
    'dead-lettered as HandlerTimeoutError when always slow',
  async run(context) {
    const group = context.group('timeout');
    const attempts = new MessageRecorder();
    const handled = new MessageRecorder();
    const retry = { maxAttempts: 2, initialDelayMs: 50, jitter: 0 };
    await context.startServer(
      context.serverOptions(group, { retry, handlerTimeoutMs: TIMEOUT_MS }),
      [
        recordingController({
          pattern: PATTERN,
          attempts,
          handled,
          behaviour: async (ctx) => {
            const slow =
              ctx.getEnvelope().key === 'always-slow' || ctx.getAttempt() === 1;
            if (slow) {
              await sleep(SLOW_MS);
              // The run was given up on long ago; never count it handled.
              throw new Error('finished after the time limit');
            }
          },
        }),
      ],
    );
    const client = await context.startClient();
    const once = await client.publishEvent(
      PATTERN,
      { orderId: 'o-11' },
      { key: 'slow-once' },
    );
    const always = await client.publishEvent(
      PATTERN,
      { orderId: 'o-12' },
      { key: 'always-slow' },
    );

    const [success] = await handled.waitForIds([once.id]);
    expect(success.attempt).toBe(2);
    const runs = attempts.byId(once.id);
    expect(runs.map((run) => run.attempt)).toEqual([1, 2]);
    // Not before the limit was reached.
    expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.8);

    const letter = await waitForDeadLetter(
      context.deadLetters(group),
      always.id,
    );
    expect(letter.metadata).toMatchObject({
      attempts: 2,
      errorName: 'HandlerTimeoutError',
      errorMessage: expect.stringContaining(`${TIMEOUT_MS} ms`),
    });
  },
};
