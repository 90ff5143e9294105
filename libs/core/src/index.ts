export type { Envelope, EnvelopeHeaders } from './envelope/envelope.js';
export { HeaderNames, JSON_CONTENT_TYPE } from './envelope/header-names.js';
export { newMessageId } from './envelope/message-id.js';
export {
  createEnvelope,
  type CreateEnvelopeOptions,
} from './envelope/create-envelope.js';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  fromWireMessage,
  toWireMessage,
  type WireMessage,
} from './envelope/wire-format.js';
export { JsonCodec } from './codec/json.codec.js';

export { NonRetriableError } from './errors/non-retriable.error.js';
export { RetriableError } from './errors/retriable.error.js';
export {
  PayloadValidationError,
  type FieldViolation,
} from './errors/payload-validation.error.js';
export { MalformedMessageError } from './errors/malformed-message.error.js';
export { NoHandlerError } from './errors/no-handler.error.js';
export { HandlerTimeoutError } from './errors/handler-timeout.error.js';
export { CodecError } from './errors/codec.error.js';
export { MessageTooLargeError } from './errors/message-too-large.error.js';
export { classifyError, type FailureInfo } from './errors/classify-error.js';

export {
  RetryPolicy,
  type RetryDecision,
  type RetryPolicyOptions,
} from './retry/retry-policy.js';

export {
  deadLetterHeaders,
  parseDeadLetterHeaders,
  withoutDeadLetterHeaders,
  type DeadLetterMetadata,
} from './dead-letter/dead-letter-metadata.js';
export type {
  DeadLetter,
  DeadLetterListOptions,
  DeadLetterStore,
} from './dead-letter/dead-letter-store.js';

export {
  MessageScope,
  type MessageScopeState,
} from './context/message-scope.js';
export {
  childTraceparent,
  newTraceparent,
  traceIdOf,
} from './context/traceparent.js';

export { MessageValidationPipe } from './validation/message-validation.pipe.js';
export { flattenValidationErrors } from './validation/flatten-validation-errors.js';

export {
  MessageContext,
  type DeliveryInfo,
} from './handling/message-context.js';
export { MessageFailureInterceptor } from './handling/message-failure.interceptor.js';
export { ReliableMessagingModule } from './handling/reliable-messaging.module.js';
export { invokeHandler } from './handling/invoke-handler.js';
export type { InboundDelivery } from './handling/inbound-delivery.js';
export type { ProcessOutcome } from './handling/process-outcome.js';
export {
  MessageProcessor,
  type MessageProcessorOptions,
} from './handling/message-processor.js';

export { KeyedScheduler } from './concurrency/keyed-scheduler.js';

export type { EnvelopePublisher } from './transport/envelope-publisher.js';
export { keyed, OutgoingMessage } from './transport/outgoing-message.js';
export type {
  HealthReporter,
  TransportHealth,
} from './transport/transport-health.js';
export {
  RELIABLE_SERVER_DEFAULTS,
  type ReliableServerOptions,
} from './transport/reliable-server-options.js';
export { ReliableServer } from './transport/reliable.server.js';
export {
  ReliableClientProxy,
  type PublishOptions,
} from './transport/reliable.client.js';
export { PublishesInFlight } from './transport/publishes-in-flight.js';
