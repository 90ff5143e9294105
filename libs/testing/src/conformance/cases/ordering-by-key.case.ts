import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';

const PATTERN = 'conformance.ordering';
const KEYS = 8;
const PER_KEY = 10;

export const orderingByKeyCase: ConformanceCase = {
  title:
    `keeps publish order per key (${KEYS} keys x ${PER_KEY} messages, ` +
    'concurrency 8)',
  appliesTo: (features) => features.orderingByKey,
  async run(context) {
    const group = context.group('ordering');
    const handled = new MessageRecorder();
    let inFlight = 0;
    let maxInFlight = 0;
    await context.startServer(
      context.serverOptions(group, { concurrency: 8 }),
      [
        recordingController({
          pattern: PATTERN,
          handled,
          behaviour: async () => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            // Uneven handler times shuffle the keys against each other.
            await sleep(2 + Math.floor(Math.random() * 5));
            inFlight -= 1;
          },
        }),
      ],
    );
    const client = await context.startClient();
    const keys = Array.from({ length: KEYS }, (_, i) => `order-${i}`);

    // Keys are published side by side; each key's messages one after the
    // other, so each key has a well-defined publish order.
    await Promise.all(
      keys.map(async (key) => {
        for (let seq = 0; seq < PER_KEY; seq += 1) {
          await client.publishEvent(PATTERN, { seq }, { key });
        }
      }),
    );

    await handled.waitFor(KEYS * PER_KEY, 20_000);
    const expected = Array.from({ length: PER_KEY }, (_, seq) => seq);
    for (const key of keys) {
      const order = handled.all
        .filter((message) => message.key === key)
        .map((message) => (message.payload as { seq: number }).seq);
      expect(order, `order of key ${key}`).toEqual(expected);
    }
    // Otherwise the order would hold trivially.
    expect(maxInFlight).toBeGreaterThan(1);
  },
};
