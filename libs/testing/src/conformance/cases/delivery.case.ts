import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';
import { QUIET_MS } from '../suite-defaults.js';

const PATTERN = 'conformance.delivery';

export const deliveryCase: ConformanceCase = {
  title:
    'delivers payload, key and headers (correlation id included) to the ' +
    'handler through MessageContext, once',
  async run(context) {
    const group = context.group('delivery');
    const handled = new MessageRecorder();
    await context.startServer(context.serverOptions(group), [
      recordingController({ pattern: PATTERN, handled }),
    ]);
    const client = await context.startClient();

    // A Date and non-ASCII text check that the body survives byte for byte.
    const payload = {
      orderId: 'o-1',
      amount: 12.5,
      lines: [{ sku: 'tea-01', quantity: 2 }],
      note: 'zoë ✓ 注文',
      placedAt: new Date('2030-01-02T03:04:05.678Z'),
    };
    const sent = await client.publishEvent(PATTERN, payload, {
      key: 'order-1',
      headers: { 'correlation-id': 'corr-delivery-1', 'x-tenant': 'acme' },
    });

    const [message] = await handled.waitFor(1);
    expect(message).toMatchObject({
      id: sent.id,
      type: PATTERN,
      key: 'order-1',
      occurredAt: sent.occurredAt,
      attempt: 1,
      consumerGroup: group,
    });
    expect(message.payload).toEqual(payload);
    expect(message.headers).toMatchObject({
      'correlation-id': 'corr-delivery-1',
      'x-tenant': 'acme',
      traceparent: sent.headers.traceparent,
    });
    expect(message.destination).toEqual(expect.any(String));
    expect(message.destination).not.toBe('');

    // Acknowledged: no second delivery, nothing dead-lettered.
    await sleep(QUIET_MS);
    expect(handled.count).toBe(1);
    expect(await context.deadLetters(group).count()).toBe(0);
  },
};
