import { expect } from 'vitest';
import {
  HeaderNames,
  JSON_CONTENT_TYPE,
  JsonCodec,
  newMessageId,
} from '@mq/core';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { waitForDeadLetter } from '../wait-for-dead-letter.js';

const PATTERN = 'conformance.routed';
const UNROUTED = 'conformance.unrouted';

export const noHandlerCase: ConformanceCase = {
  title: 'dead-letters a message no handler is bound to as NoHandlerError',
  async run(context) {
    const group = context.group('no_handler');
    const handled = new MessageRecorder();
    await context.startServer(context.serverOptions(group), [
      recordingController({ pattern: PATTERN, handled }),
    ]);
    const client = await context.startClient();

    // It reaches a destination this group consumes, but its type names a
    // pattern none of the group's handlers is bound to.
    const strayId = newMessageId();
    await context.kit.publishRaw(
      PATTERN,
      {
        [HeaderNames.id]: strayId,
        [HeaderNames.type]: UNROUTED,
        [HeaderNames.key]: 'order-9',
        [HeaderNames.occurredAt]: new Date().toISOString(),
        [HeaderNames.contentType]: JSON_CONTENT_TYPE,
      },
      JsonCodec.encode({ orderId: 'o-9' }),
    );
    const next = await client.publishEvent(
      PATTERN,
      { orderId: 'o-10' },
      { key: 'order-9' },
    );

    await handled.waitForIds([next.id]);
    const letter = await waitForDeadLetter(context.deadLetters(group), strayId);
    expect(letter.metadata).toMatchObject({
      attempts: 1,
      consumerGroup: group,
      errorName: 'NoHandlerError',
      errorMessage: expect.stringContaining(UNROUTED),
    });
    expect(JSON.parse(letter.body)).toEqual({ orderId: 'o-9' });
    expect(handled.byId(strayId)).toHaveLength(0);
  },
};
