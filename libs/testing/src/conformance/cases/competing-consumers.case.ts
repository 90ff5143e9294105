import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { QUIET_MS } from '../suite-defaults.js';

const PATTERN = 'conformance.competing';
const MESSAGES = 40;

export const competingConsumersCase: ConformanceCase = {
  title:
    'two servers of one group share the messages: each is handled ' +
    'exactly once in all',
  async run(context) {
    const group = context.group('workers');
    const handled = new MessageRecorder();
    for (const label of ['a', 'b']) {
      await context.startServer(
        context.serverOptions(group, { concurrency: 2 }),
        [
          recordingController({
            pattern: PATTERN,
            handled,
            label,
            // Slow enough that one server cannot drain the queue alone.
            behaviour: () => sleep(20),
          }),
        ],
      );
    }
    const client = await context.startClient();

    const sent = await Promise.all(
      Array.from({ length: MESSAGES }, (_, i) =>
        client.publishEvent(PATTERN, { job: i }, { key: `job-${i}` }),
      ),
    );
    const ids = sent.map((envelope) => envelope.id);

    await handled.waitForIds(ids, 20_000);
    await sleep(QUIET_MS);
    expect(handled.count).toBe(MESSAGES);
    expect(handled.ids()).toEqual(new Set(ids));
    if (context.features.distributesWork ?? true) {
      const by = (label: string) =>
        handled.all.filter((message) => message.handledBy === label).length;
      // Shared, not necessarily evenly.
      expect(by('a'), 'messages handled by server a').toBeGreaterThan(0);
      expect(by('b'), 'messages handled by server b').toBeGreaterThan(0);
    }
  },
};
