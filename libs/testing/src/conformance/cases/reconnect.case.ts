import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import { eventually } from '../../timing/eventually.js';
import type { ConformanceCase } from '../conformance-case.js';

const PATTERN = 'conformance.reconnect';
const MESSAGES = 30;
const DROP_AFTER = 10;

export const reconnectCase: ConformanceCase = {
  title:
    'reconnects after the broker dropped its connections while messages ' +
    'flowed, and handles every message',
  async run(context) {
    const group = context.group('reconnect');
    const handled = new MessageRecorder();
    const { server } = await context.startServer(context.serverOptions(group), [
      recordingController({
        pattern: PATTERN,
        handled,
        behaviour: () => sleep(10),
      }),
    ]);
    const client = await context.startClient();

    const ids: string[] = [];
    for (let i = 0; i < MESSAGES; i += 1) {
      const sent = await client.publishEvent(
        PATTERN,
        { i },
        { key: `order-${i % 5}` },
      );
      ids.push(sent.id);
      if (i === DROP_AFTER) {
        await context.kit.dropServerConnections(server);
      }
      await sleep(20);
    }

    // At least once: a message in flight at the drop may come twice.
    await handled.waitForIds(ids, 30_000);
    await eventually(() => expect(server.health().status).toBe('up'));
  },
};
