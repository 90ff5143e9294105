import {
  createEnvelope,
  fromWireMessage,
  HeaderNames,
  MalformedMessageError,
  MessageScope,
  MessageTooLargeError,
  toWireMessage,
  traceIdOf,
} from '@mq/core';

describe('createEnvelope', () => {
  it('starts a new correlation and trace outside a handler', () => {
    const envelope = createEnvelope('order.created', { n: 1 }, { key: 'o-1' });

    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.headers[HeaderNames.correlationId]).toBe(envelope.id);
    expect(envelope.headers[HeaderNames.causationId]).toBeUndefined();
    expect(envelope.headers[HeaderNames.traceparent]).toMatch(
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/,
    );
  });

  it('inherits correlation, sets causation and continues the trace inside a handler', () => {
    const parent = createEnvelope('order.created', {}, { key: 'o-1' });

    const child = MessageScope.run(
      { envelope: parent, consumerGroup: 'payments', attempt: 1 },
      () => createEnvelope('payment.succeeded', {}, { key: 'o-1' }),
    );

    expect(child.headers[HeaderNames.correlationId]).toBe(parent.id);
    expect(child.headers[HeaderNames.causationId]).toBe(parent.id);
    const parentTrace = parent.headers[HeaderNames.traceparent];
    const childTrace = child.headers[HeaderNames.traceparent];
    expect(traceIdOf(childTrace)).toBe(traceIdOf(parentTrace));
    expect(childTrace).not.toBe(parentTrace);
  });

  it('keeps the scope across awaits', async () => {
    const parent = createEnvelope('a', {}, { key: 'k' });
    const child = await MessageScope.run(
      { envelope: parent, consumerGroup: 'g', attempt: 1 },
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return createEnvelope('b', {}, { key: 'k' });
      },
    );
    expect(child.headers[HeaderNames.causationId]).toBe(parent.id);
  });

  it('requires a key', () => {
    expect(() => createEnvelope('a', {}, { key: '' })).toThrow(/key/);
  });

  it('ids sort by creation time', () => {
    const ids = Array.from(
      { length: 50 },
      () => createEnvelope('a', {}, { key: 'k' }).id,
    );
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('toWireMessage / fromWireMessage', () => {
  it('round-trips every envelope field through headers and body', () => {
    const envelope = createEnvelope(
      'order.created',
      { at: new Date('2026-05-01T00:00:00Z') },
      { key: 'o-9', headers: { tenant: 't1' } },
    );

    const decoded = fromWireMessage(toWireMessage(envelope));

    expect(decoded.id).toBe(envelope.id);
    expect(decoded.type).toBe('order.created');
    expect(decoded.key).toBe('o-9');
    expect(decoded.occurredAt).toBe(envelope.occurredAt);
    expect(decoded.headers.tenant).toBe('t1');
    expect((decoded.payload as { at: Date }).at).toEqual(
      new Date('2026-05-01T00:00:00Z'),
    );
  });

  it('refuses a body over the limit before anything is sent', () => {
    const envelope = createEnvelope(
      'big',
      { s: 'x'.repeat(2000) },
      { key: 'k' },
    );
    expect(() => toWireMessage(envelope, 1000)).toThrow(MessageTooLargeError);
  });

  it('rejects a message without an id header as malformed', () => {
    expect(() => fromWireMessage({ headers: {}, body: '{}' })).toThrow(
      MalformedMessageError,
    );
  });
});
