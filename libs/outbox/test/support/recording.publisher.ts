import type { Envelope, EnvelopePublisher } from '@mq/core';

/**
 * Test double of a broker client: records what it was asked to publish
 * and can be told to fail the next calls or to take its time.
 */
export class RecordingPublisher implements EnvelopePublisher {
  readonly published: Envelope[] = [];
  calls = 0;
  private failuresLeft = 0;
  private delayMs = 0;
  private slowCallsLeft = Number.POSITIVE_INFINITY;

  failNext(times: number, message = 'broker unavailable'): this {
    this.failuresLeft = times;
    this.failureMessage = message;
    return this;
  }

  /** Delays the next `times` calls (all by default) by `ms`. */
  slowDown(ms: number, times = Number.POSITIVE_INFINITY): this {
    this.delayMs = ms;
    this.slowCallsLeft = times;
    return this;
  }

  ids(): string[] {
    return this.published.map((envelope) => envelope.id);
  }

  async publishEnvelopes(envelopes: readonly Envelope[]): Promise<void> {
    this.calls += 1;
    if (this.delayMs > 0 && this.slowCallsLeft > 0) {
      this.slowCallsLeft -= 1;
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    }
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error(this.failureMessage);
    }
    this.published.push(...envelopes);
  }

  private failureMessage = 'broker unavailable';
}
