import type { DeadLetterMetadata } from '../dead-letter/dead-letter-metadata.js';
import type { Envelope } from '../envelope/envelope.js';
import type { FailureInfo } from '../errors/classify-error.js';

/** What a transport must do with a delivery once its handler has run. */
export type ProcessOutcome =
  | { readonly kind: 'handled'; readonly envelope: Envelope }
  | {
      readonly kind: 'retry';
      readonly envelope: Envelope;
      readonly failure: FailureInfo;
      readonly delayMs: number;
      /** The attempt number the redelivery will carry. */
      readonly nextAttempt: number;
      /** Headers for the redelivered copy: attempt and first failure time. */
      readonly retryHeaders: Record<string, string>;
    }
  | {
      readonly kind: 'dead-letter';
      /** Missing when the message could not be decoded at all. */
      readonly envelope?: Envelope;
      readonly failure: FailureInfo;
      readonly metadata: DeadLetterMetadata;
    };
