import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { CodecError } from '@mq/core';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { QUIET_MS } from '../suite-defaults.js';

const PATTERN = 'conformance.codec';

export const codecRefusalCase: ConformanceCase = {
  title:
    'refuses at publish a payload JSON cannot carry (a BigInt) with ' +
    'CodecError, and nothing is delivered',
  async run(context) {
    const group = context.group('codec');
    const handled = new MessageRecorder();
    await context.startServer(context.serverOptions(group), [
      recordingController({ pattern: PATTERN, handled }),
    ]);
    const client = await context.startClient();

    const refused = await client
      .publishEvent(
        PATTERN,
        { orderId: 'o-15', amountCents: 1999n },
        { key: 'order-15' },
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(CodecError);
    expect(refused).toMatchObject({
      name: 'CodecError',
      path: '$.amountCents',
    });

    const valid = await client.publishEvent(
      PATTERN,
      { orderId: 'o-15', amountCents: '1999' },
      { key: 'order-15' },
    );
    await handled.waitForIds([valid.id]);
    await sleep(QUIET_MS);
    expect(handled.all.map((message) => message.id)).toEqual([valid.id]);
  },
};
