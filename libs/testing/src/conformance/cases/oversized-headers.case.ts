import { expect } from 'vitest';
import { createEnvelope } from '@mq/core';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { waitForDeadLetter } from '../wait-for-dead-letter.js';

const PATTERN = 'conformance.oversized-headers';
const LIMIT = 4_096;

export const oversizedHeadersCase: ConformanceCase = {
  title:
    'dead-letters a message whose headers are over maxHeaderBytes before ' +
    'its handler runs, and goes on with the next message of the same key',
  async run(context) {
    const group = context.group('oversized_headers');
    const handled = new MessageRecorder();
    await context.startServer(
      { ...context.serverOptions(group), maxHeaderBytes: LIMIT },
      [recordingController({ pattern: PATTERN, handled })],
    );
    const client = await context.startClient();

    // A handler would copy such a header into everything it publishes.
    const bloated = createEnvelope(
      PATTERN,
      { orderId: 'o-19' },
      { key: 'order-19', headers: { 'x-note': 'n'.repeat(LIMIT * 2) } },
    );
    await client.publishEnvelopes([bloated]);
    const next = await client.publishEvent(
      PATTERN,
      { orderId: 'o-19', step: 2 },
      { key: 'order-19' },
    );

    const [message] = await handled.waitForIds([next.id]);
    const letter = await waitForDeadLetter(
      context.deadLetters(group),
      bloated.id,
    );
    expect(letter.metadata).toMatchObject({
      attempts: 1,
      consumerGroup: group,
      originalDestination: message.destination,
      errorName: 'MalformedMessageError',
    });
    expect(letter.metadata.errorMessage).toMatch(
      new RegExp(`^headers of \\d+ bytes exceed the limit of ${LIMIT} bytes$`),
    );
    expect(handled.byId(bloated.id)).toHaveLength(0);
  },
};
