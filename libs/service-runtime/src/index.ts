export { ServiceRuntimeModule } from './service-runtime.module.js';
export type {
  ClassType,
  ResolvedService,
  ServiceDefinition,
} from './service-definition.js';
export {
  RESOLVED_SERVICE,
  SERVICE_DEFINITION,
} from './service-runtime.tokens.js';
export { resolveService } from './resolve-service.js';

export {
  namespaced,
  readRuntimeConfig,
  RUNTIME_DEFAULTS,
  TRANSPORT_NAMES,
  type RuntimeConfig,
  type RuntimeRetryConfig,
  type TransportName,
} from './config/runtime-config.js';
export {
  runtimeConfig,
  type RuntimeConfigType,
} from './config/runtime-config.provider.js';
export {
  InvalidEnvError,
  readChoice,
  readInteger,
  readList,
  readRate,
  readString,
  type Env,
} from './config/env-readers.js';

export {
  MESSAGING_TRANSPORT,
  type ClosableDeadLetterStore,
  type MessagingTransport,
  type TransportSettings,
} from './transport/messaging-transport.js';
export { createTransport } from './transport/create-transport.js';

export { tableName } from './database/table-name.js';
export { initializeWithMigrations } from './database/schema-migration.lock.js';

export type { HealthReport } from './health/health-report.js';
export type { DeadLetterSummary } from './dead-letters/dead-letters.controller.js';
export { HttpValidationPipe } from './http/http-validation.pipe.js';
export { SafeConsoleLogger } from './logging/safe-console.logger.js';
export { TypeOrmNestLogger } from './logging/typeorm-nest.logger.js';
export {
  validationExceptionFactory,
  type ValidationFailureBody,
} from './http/validation-exception.factory.js';

export {
  startService,
  type RunningService,
  type StartServiceOptions,
} from './bootstrap/start-service.js';
export { bootstrapService } from './bootstrap/bootstrap-service.js';
