import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import { eventually } from '../../timing/eventually.js';
import type { ConformanceCase } from '../conformance-case.js';

const PATTERN = 'conformance.crash';
const HANG_KEY = 'order-hangs';
const MESSAGES = 6;
/** Kafka needs a session timeout and a rebalance; others are faster. */
const RECOVERY_MS = 30_000;

export const consumerCrashCase: ConformanceCase = {
  title:
    'loses nothing when a consumer process is killed (SIGKILL) ' +
    'mid-handler: the message in flight is redelivered',
  timeoutMs: 60_000,
  async run(context) {
    const group = context.group('crash');
    // No time limit in the child: the hanging handler must stay in flight.
    const options = context.crashRecoveryServerOptions(group, {
      handlerTimeoutMs: 0,
    });
    const child = await context.spawnConsumer({
      pattern: PATTERN,
      server: options,
      hangOnKey: HANG_KEY,
    });
    const client = await context.startClient();

    const ids: string[] = [];
    let hangingId = '';
    for (let i = 0; i < MESSAGES; i += 1) {
      const key = i === 2 ? HANG_KEY : `order-${i}`;
      const sent = await client.publishEvent(PATTERN, { i }, { key });
      ids.push(sent.id);
      if (key === HANG_KEY) {
        hangingId = sent.id;
      }
    }

    await child.waitFor(
      (event) => event.kind === 'started' && event.id === hangingId,
      `the child to start message ${hangingId}`,
      15_000,
    );
    await child.kill('SIGKILL');
    const handledByChild = child.handledIds();
    expect(handledByChild.has(hangingId)).toBe(false);

    const recovered = new MessageRecorder();
    await context.startServer(context.crashRecoveryServerOptions(group), [
      recordingController({ pattern: PATTERN, handled: recovered }),
    ]);

    await recovered.waitForIds([hangingId], RECOVERY_MS);
    await eventually(() => {
      const handled = new Set([...handledByChild, ...recovered.ids()]);
      const missing = ids.filter((id) => !handled.has(id));
      expect(missing, 'messages handled by neither consumer').toEqual([]);
    }, RECOVERY_MS);
  },
};
