import type { ConformanceCase } from './conformance-case.js';
import { codecRefusalCase } from './cases/codec-refusal.case.js';
import { competingConsumersCase } from './cases/competing-consumers.case.js';
import { consumerCrashCase } from './cases/consumer-crash.case.js';
import { deadLetterCase } from './cases/dead-letter.case.js';
import { deliveryCase } from './cases/delivery.case.js';
import { fanOutCase } from './cases/fan-out.case.js';
import { gracefulShutdownCase } from './cases/graceful-shutdown.case.js';
import { handlerTimeoutCase } from './cases/handler-timeout.case.js';
import { invalidPayloadCase } from './cases/invalid-payload.case.js';
import { lineageCase } from './cases/lineage.case.js';
import { malformedBodyCase } from './cases/malformed-body.case.js';
import { noHandlerCase } from './cases/no-handler.case.js';
import { nonRetriableCase } from './cases/non-retriable.case.js';
import { orderingByKeyCase } from './cases/ordering-by-key.case.js';
import { oversizedHeadersCase } from './cases/oversized-headers.case.js';
import { reconnectCase } from './cases/reconnect.case.js';
import { redeliveryCase } from './cases/redelivery.case.js';
import { requestReplyCase } from './cases/request-reply.case.js';
import { retryTimingCase } from './cases/retry-timing.case.js';
import { sizeLimitCase } from './cases/size-limit.case.js';

/** Every case, in the order of the delivery contract (DESIGN.md). */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  deliveryCase,
  lineageCase,
  redeliveryCase,
  retryTimingCase,
  deadLetterCase,
  nonRetriableCase,
  invalidPayloadCase,
  malformedBodyCase,
  oversizedHeadersCase,
  noHandlerCase,
  orderingByKeyCase,
  competingConsumersCase,
  fanOutCase,
  handlerTimeoutCase,
  consumerCrashCase,
  reconnectCase,
  gracefulShutdownCase,
  sizeLimitCase,
  codecRefusalCase,
  requestReplyCase,
];
