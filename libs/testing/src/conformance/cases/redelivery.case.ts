import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { QUIET_MS } from '../suite-defaults.js';

const PATTERN = 'conformance.redelivery';

export const redeliveryCase: ConformanceCase = {
  title: 'redelivers the same message after the handler failed',
  async run(context) {
    const group = context.group('redelivery');
    const attempts = new MessageRecorder();
    const handled = new MessageRecorder();
    await context.startServer(context.serverOptions(group), [
      recordingController({
        pattern: PATTERN,
        attempts,
        handled,
        behaviour: (ctx) => {
          if (ctx.getAttempt() === 1) {
            throw new Error('transient failure on the first delivery');
          }
        },
      }),
    ]);
    const client = await context.startClient();
    const payload = { orderId: 'o-2', amount: 30 };
    const sent = await client.publishEvent(PATTERN, payload, {
      key: 'order-2',
      headers: { 'x-tenant': 'acme' },
    });

    const [success] = await handled.waitFor(1);
    expect(success).toMatchObject({ id: sent.id, attempt: 2, payload });
    const runs = attempts.byId(sent.id);
    expect(runs.map((run) => run.attempt)).toEqual([1, 2]);
    // The retry is the same message, not a lookalike.
    expect(runs[1]).toMatchObject({
      key: 'order-2',
      occurredAt: sent.occurredAt,
      payload,
    });
    expect(runs[1].headers).toMatchObject({
      'x-tenant': 'acme',
      'correlation-id': sent.headers['correlation-id'],
    });

    await sleep(QUIET_MS);
    expect(attempts.byId(sent.id)).toHaveLength(2);
    expect(await context.deadLetters(group).count()).toBe(0);
  },
};
