import { expect } from 'vitest';
import { traceIdOf } from '@mq/core';
import { recordingController } from '../../recording/recording.controller.js';
import { MessageRecorder } from '../../recording/message-recorder.js';
import type { ConformanceCase } from '../conformance-case.js';

const PARENT = 'conformance.lineage.parent';
const CHILD = 'conformance.lineage.child';

export const lineageCase: ConformanceCase = {
  title:
    'a message published while handling another carries its correlation ' +
    'id, its id as causation id and its trace',
  async run(context) {
    const group = context.group('lineage');
    const parents = new MessageRecorder();
    const children = new MessageRecorder();
    const client = await context.startClient();
    await context.startServer(context.serverOptions(group), [
      recordingController({
        pattern: PARENT,
        handled: parents,
        // Published through the client from inside the handler, as a
        // service does: nothing passes the lineage by hand.
        behaviour: (ctx) =>
          client.publishEvent(
            CHILD,
            { step: 'child' },
            { key: ctx.getEnvelope().key },
          ),
      }),
      recordingController({ pattern: CHILD, handled: children }),
    ]);

    const explicit = await client.publishEvent(
      PARENT,
      { step: 'parent' },
      { key: 'saga-1', headers: { 'correlation-id': 'corr-saga-1' } },
    );
    const implicit = await client.publishEvent(
      PARENT,
      { step: 'parent' },
      { key: 'saga-2' },
    );

    await children.waitFor(2);
    const childOf = (key: string) =>
      children.all.find((child) => child.key === key);

    expect(childOf('saga-1')?.headers).toMatchObject({
      'correlation-id': 'corr-saga-1',
      'causation-id': explicit.id,
    });
    // Without an explicit correlation id, a message correlates to itself.
    expect(childOf('saga-2')?.headers).toMatchObject({
      'correlation-id': implicit.id,
      'causation-id': implicit.id,
    });
    for (const parent of [explicit, implicit]) {
      const child = childOf(parent.key);
      expect(child?.id).not.toBe(parent.id);
      expect(traceIdOf(child?.headers.traceparent ?? '')).toBe(
        traceIdOf(parent.headers.traceparent),
      );
    }
  },
};
