import type { Envelope } from '../envelope/envelope.js';
import type { DeadLetterMetadata } from './dead-letter-metadata.js';

/** One message in a dead-letter destination. */
export interface DeadLetter {
  /** Transport-specific handle used by `show` and `redrive`. */
  readonly id: string;
  /** The message id from its headers, when it had one. */
  readonly messageId?: string;
  readonly type?: string;
  readonly key?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as received: it may be the reason it is here. */
  readonly body: string;
  readonly metadata: DeadLetterMetadata;
}

export interface DeadLetterListOptions {
  /** @default 50 */
  limit?: number;
  /** Only dead letters from this original destination. */
  destination?: string;
}

/**
 * Inspection and redrive of one consumer group's dead letters. Every
 * transport implements it with its native dead-letter destination.
 */
export interface DeadLetterStore {
  list(options?: DeadLetterListOptions): Promise<DeadLetter[]>;
  count(): Promise<number>;
  show(id: string): Promise<DeadLetter | undefined>;
  /**
   * Sends the message back to its original destination for this group with a
   * fresh attempt count, then removes it from the dead letters. Returns false
   * when no such dead letter exists.
   */
  redrive(id: string): Promise<boolean>;
  /** Redrives every dead letter; returns how many. */
  redriveAll(): Promise<number>;
  /** Deletes every dead letter; returns how many. */
  purge(): Promise<number>;
}

/** Helper for stores: the envelope fields of a dead letter, when readable. */
export type DeadLetterEnvelopeFields = Pick<Envelope, 'id' | 'type' | 'key'>;
