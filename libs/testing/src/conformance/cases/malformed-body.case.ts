import { expect } from 'vitest';
import { HeaderNames, JSON_CONTENT_TYPE, newMessageId } from '@mq/core';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { waitForDeadLetter } from '../wait-for-dead-letter.js';

const PATTERN = 'conformance.malformed';
const BROKEN_JSON = '{"orderId": "o-8", "amount": ';

export const malformedBodyCase: ConformanceCase = {
  title:
    'dead-letters a body that is not JSON as MalformedMessageError and ' +
    'goes on with the next message of the same key',
  async run(context) {
    const group = context.group('malformed');
    const handled = new MessageRecorder();
    await context.startServer(context.serverOptions(group), [
      recordingController({ pattern: PATTERN, handled }),
    ]);
    const client = await context.startClient();

    const poisonId = newMessageId();
    await context.kit.publishRaw(
      PATTERN,
      {
        [HeaderNames.id]: poisonId,
        [HeaderNames.type]: PATTERN,
        [HeaderNames.key]: 'order-8',
        [HeaderNames.contentType]: JSON_CONTENT_TYPE,
      },
      Buffer.from(BROKEN_JSON, 'utf8'),
    );
    const next = await client.publishEvent(
      PATTERN,
      { orderId: 'o-8', amount: 10 },
      { key: 'order-8' },
    );

    const [message] = await handled.waitForIds([next.id]);
    const letter = await waitForDeadLetter(
      context.deadLetters(group),
      poisonId,
    );
    expect(letter.metadata).toMatchObject({
      attempts: 1,
      consumerGroup: group,
      originalDestination: message.destination,
      errorName: 'MalformedMessageError',
    });
    // Kept as received: the bytes are the evidence.
    expect(letter.body).toBe(BROKEN_JSON);
    expect(handled.byId(poisonId)).toHaveLength(0);
  },
};
