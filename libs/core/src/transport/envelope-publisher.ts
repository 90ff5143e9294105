import type { Envelope } from '../envelope/envelope.js';

/**
 * Durable publishing, shared by every transport's client: the promise
 * resolves only once the broker has accepted every envelope (confirm,
 * acks=all, committed insert) and rejects otherwise. The outbox relay
 * depends on exactly this.
 */
export interface EnvelopePublisher {
  publishEnvelopes(envelopes: readonly Envelope[]): Promise<void>;
}
