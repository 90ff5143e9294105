import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';

const PATTERN = 'conformance.shutdown';
const SLOW_MS = 1_200;
const LATER = 5;
/**
 * How long the next server is watched for a second delivery of the slow
 * message. Longer than a test kit's lease, so an unacknowledged message
 * would have come back.
 */
const WATCH_MS = 2_500;

export const gracefulShutdownCase: ConformanceCase = {
  title:
    'close waits for the running handler, which completes once; messages ' +
    'it did not start go to the next server',
  async run(context) {
    const group = context.group('shutdown');
    const handled = new MessageRecorder();
    const started = new MessageRecorder();
    const controller = (label: string) =>
      recordingController({
        pattern: PATTERN,
        attempts: started,
        handled,
        label,
        behaviour: async (ctx) => {
          if (ctx.getEnvelope().key === 'slow') {
            await sleep(SLOW_MS);
          }
        },
      });
    const options = context.crashRecoveryServerOptions(group, {
      shutdownTimeoutMs: 10_000,
    });
    const first = await context.startServer(options, [controller('first')]);
    const client = await context.startClient();

    const slow = await client.publishEvent(
      PATTERN,
      { orderId: 'o-13' },
      { key: 'slow' },
    );
    await started.waitForIds([slow.id]);

    const closing = first.close();
    // Published while the first server shuts down: it must not take them.
    const later: string[] = [];
    for (let i = 0; i < LATER; i += 1) {
      const sent = await client.publishEvent(
        PATTERN,
        { i },
        { key: `later-${i}` },
      );
      later.push(sent.id);
    }
    await closing;
    const closedAt = Date.now();

    const [finished] = handled.byId(slow.id);
    expect(finished, 'the slow handler finished before close').toBeDefined();
    expect(finished.handledBy).toBe('first');
    expect(finished.at).toBeLessThanOrEqual(closedAt);

    await context.startServer(options, [controller('next')]);
    await handled.waitForIds(later, 15_000);
    await sleep(WATCH_MS);

    expect(
      handled.byId(slow.id),
      'deliveries of the slow message',
    ).toHaveLength(1);
    for (const id of later) {
      const runs = started.byId(id);
      expect(
        runs.map((run) => run.handledBy),
        `runs of ${id}`,
      ).toEqual(['next']);
    }
  },
};
