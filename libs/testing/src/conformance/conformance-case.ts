import type { CaseContext } from './case-context.js';
import type { TransportFeatures } from './transport-test-kit.js';

/** One behaviour of the delivery contract, checked against a real broker. */
export interface ConformanceCase {
  /** The test title: what the transport does. */
  readonly title: string;
  /** Whether the case applies; the suite leaves out cases that do not. */
  readonly appliesTo?: (features: TransportFeatures) => boolean;
  /** @default CASE_TIMEOUT_MS */
  readonly timeoutMs?: number;
  run(context: CaseContext): Promise<void>;
}
