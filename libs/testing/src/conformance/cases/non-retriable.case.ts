import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { NonRetriableError } from '@mq/core';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { QUIET_MS } from '../suite-defaults.js';
import { waitForDeadLetter } from '../wait-for-dead-letter.js';

const PATTERN = 'conformance.non-retriable';

export const nonRetriableCase: ConformanceCase = {
  title: 'dead-letters at once, after one attempt, on a NonRetriableError',
  async run(context) {
    const group = context.group('non_retriable');
    const attempts = new MessageRecorder();
    const handled = new MessageRecorder();
    // Plenty of attempts left: only the error kind can stop the retries.
    const retry = { maxAttempts: 5, initialDelayMs: 50, jitter: 0 };
    await context.startServer(context.serverOptions(group, { retry }), [
      recordingController({
        pattern: PATTERN,
        attempts,
        handled,
        behaviour: () => {
          throw new NonRetriableError('order o-5 is already cancelled');
        },
      }),
    ]);
    const client = await context.startClient();
    const sent = await client.publishEvent(
      PATTERN,
      { orderId: 'o-5' },
      { key: 'order-5' },
    );

    const letter = await waitForDeadLetter(context.deadLetters(group), sent.id);
    expect(letter.metadata).toMatchObject({
      attempts: 1,
      consumerGroup: group,
      errorName: 'NonRetriableError',
      errorMessage: expect.stringContaining('order o-5 is already cancelled'),
    });
    await sleep(QUIET_MS);
    expect(attempts.byId(sent.id)).toHaveLength(1);
    expect(handled.count).toBe(0);
  },
};
