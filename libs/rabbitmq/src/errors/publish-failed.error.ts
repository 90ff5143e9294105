/**
 * The broker did not confirm a publish: it nacked it, the channel closed
 * before the confirm, or no confirm came in time. The message may or may not
 * have reached a queue; publishing it again is safe for inbox consumers.
 */
export class PublishFailedError extends Error {
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
    readonly messageId: string | undefined,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `publish of ${messageId ?? '(no id)'} to exchange ` +
        `"${exchange || '(default)'}" with routing key "${routingKey}" ` +
        `failed: ${reason}`,
      options,
    );
    this.name = 'PublishFailedError';
  }
}
