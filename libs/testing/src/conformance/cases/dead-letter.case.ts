import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import { eventually } from '../../timing/eventually.js';
import type { ConformanceCase } from '../conformance-case.js';
import { FAST_RETRY, QUIET_MS } from '../suite-defaults.js';
import { waitForDeadLetter } from '../wait-for-dead-letter.js';

const PATTERN = 'conformance.dead-letter';

class GatewayUnavailableError extends Error {
  constructor() {
    super('payment gateway unavailable (503)');
    this.name = 'GatewayUnavailableError';
  }
}

export const deadLetterCase: ConformanceCase = {
  title:
    'dead-letters a message with its metadata after the last attempt, ' +
    'and a redrive of it is handled',
  async run(context) {
    const group = context.group('dead_letter');
    const store = context.deadLetters(group);
    const attempts = new MessageRecorder();
    const handled = new MessageRecorder();
    let gatewayUp = false;
    await context.startServer(context.serverOptions(group), [
      recordingController({
        pattern: PATTERN,
        attempts,
        handled,
        behaviour: () => {
          if (!gatewayUp) {
            throw new GatewayUnavailableError();
          }
        },
      }),
    ]);
    const client = await context.startClient();
    const startedAt = Date.now();
    const payload = { orderId: 'o-4', amount: 99 };
    const sent = await client.publishEvent(PATTERN, payload, {
      key: 'order-4',
    });

    const letter = await waitForDeadLetter(store, sent.id);
    const runs = attempts.byId(sent.id);
    expect(runs).toHaveLength(FAST_RETRY.maxAttempts);
    expect(letter).toMatchObject({
      messageId: sent.id,
      type: PATTERN,
      key: 'order-4',
    });
    expect(JSON.parse(letter.body)).toEqual(payload);
    expect(letter.metadata).toMatchObject({
      originalDestination: runs[0].destination,
      consumerGroup: group,
      attempts: FAST_RETRY.maxAttempts,
      errorName: 'GatewayUnavailableError',
      errorMessage: expect.stringContaining('payment gateway unavailable'),
    });
    const firstFailed = Date.parse(letter.metadata.firstFailedAt);
    const lastFailed = Date.parse(letter.metadata.lastFailedAt);
    // Generous bounds: the broker's clock may be the one that stamped it.
    expect(firstFailed).toBeGreaterThanOrEqual(startedAt - 1_000);
    expect(lastFailed).toBeGreaterThan(firstFailed);
    expect(lastFailed).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(await store.show(letter.id)).toMatchObject({ messageId: sent.id });
    const fromDestination = await store.list({
      destination: letter.metadata.originalDestination,
    });
    expect(fromDestination.map((item) => item.id)).toContain(letter.id);

    // Dead means no more deliveries.
    await sleep(QUIET_MS);
    expect(attempts.byId(sent.id)).toHaveLength(runs.length);
    expect(handled.count).toBe(0);

    gatewayUp = true;
    expect(await store.redrive(letter.id)).toBe(true);
    const [redriven] = await handled.waitFor(1);
    expect(redriven).toMatchObject({ id: sent.id, attempt: 1, payload });
    await eventually(async () => expect(await store.count()).toBe(0));
    expect(await store.show(letter.id)).toBeUndefined();
    expect(await store.redrive(letter.id)).toBe(false);
  },
};
