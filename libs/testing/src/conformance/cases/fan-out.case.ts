import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { QUIET_MS } from '../suite-defaults.js';

const PATTERN = 'conformance.fan-out';
const MESSAGES = 10;

export const fanOutCase: ConformanceCase = {
  title: 'gives every message to each of two consumer groups',
  async run(context) {
    const groups = [context.group('billing'), context.group('shipping')];
    const handled = new MessageRecorder();
    for (const group of groups) {
      await context.startServer(context.serverOptions(group), [
        recordingController({ pattern: PATTERN, handled, label: group }),
      ]);
    }
    const client = await context.startClient();

    const ids: string[] = [];
    for (let i = 0; i < MESSAGES; i += 1) {
      const sent = await client.publishEvent(
        PATTERN,
        { orderId: `o-${i}` },
        { key: `order-${i % 3}` },
      );
      ids.push(sent.id);
    }

    await handled.waitFor(MESSAGES * groups.length);
    await sleep(QUIET_MS);
    for (const group of groups) {
      const received = handled.all.filter(
        (message) => message.consumerGroup === group,
      );
      expect(received.map((message) => message.id).sort()).toEqual(
        [...ids].sort(),
      );
    }
  },
};
