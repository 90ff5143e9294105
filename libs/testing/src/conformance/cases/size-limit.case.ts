import { setTimeout as sleep } from 'node:timers/promises';
import { lastValueFrom } from 'rxjs';
import { expect } from 'vitest';
import { keyed, MessageTooLargeError } from '@mq/core';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { QUIET_MS } from '../suite-defaults.js';

const PATTERN = 'conformance.size-limit';
const LIMIT = 1_024;

export const sizeLimitCase: ConformanceCase = {
  title:
    'refuses a publish over maxMessageBytes with MessageTooLargeError, ' +
    'and nothing is delivered',
  async run(context) {
    const group = context.group('size_limit');
    const handled = new MessageRecorder();
    await context.startServer(context.serverOptions(group), [
      recordingController({ pattern: PATTERN, handled }),
    ]);
    const client = await context.startClient({ maxMessageBytes: LIMIT });
    const big = { orderId: 'o-14', blob: 'x'.repeat(LIMIT * 2) };

    const refused = await client
      .publishEvent(PATTERN, big, { key: 'order-14' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(MessageTooLargeError);
    expect(refused).toMatchObject({
      name: 'MessageTooLargeError',
      limitBytes: LIMIT,
    });
    expect((refused as MessageTooLargeError).sizeBytes).toBeGreaterThan(LIMIT);
    // Nest's emit path refuses it too.
    await expect(
      lastValueFrom(client.emit(PATTERN, keyed('order-14', big)), {
        defaultValue: undefined,
      }),
    ).rejects.toBeInstanceOf(MessageTooLargeError);

    // Same key after it: on an ordered transport a leak would come first.
    const small = await client.publishEvent(
      PATTERN,
      { orderId: 'o-14', blob: 'x' },
      { key: 'order-14' },
    );
    await handled.waitForIds([small.id]);
    await sleep(QUIET_MS);
    expect(handled.all.map((message) => message.id)).toEqual([small.id]);
  },
};
