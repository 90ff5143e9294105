/**
 * The broker returned a mandatory publish (basic.return): no queue is bound
 * for it, so it would have been dropped. The publish fails and, for the
 * outbox, the row stays to be sent again.
 */
export class UnroutableMessageError extends Error {
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
    readonly messageId: string | undefined,
    readonly replyText: string,
  ) {
    super(
      `message ${messageId ?? '(no id)'} to exchange "${exchange || '(default)'}"` +
        ` with routing key "${routingKey}" was returned: ${replyText}; ` +
        'no queue is bound for it',
    );
    this.name = 'UnroutableMessageError';
  }
}
