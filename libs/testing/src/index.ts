export {
  dropSchema,
  testDatabaseUrl,
  uniqueName,
} from './postgres/test-database.js';
export type {
  KitClientOptions,
  KitServerOptions,
  TestKitModule,
  TransportFeatures,
  TransportTestKit,
} from './conformance/transport-test-kit.js';
export {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from './postgres/embedded-postgres.js';

export {
  runConformanceSuite,
  type ConformanceSuiteOptions,
} from './conformance/run-conformance-suite.js';
export { loadTestKitModule } from './conformance/load-test-kit.js';

export {
  startMicroservice,
  type StartMicroserviceOptions,
} from './nest/start-microservice.js';
export {
  MessageRecorder,
  type RecordedMessage,
} from './recording/message-recorder.js';
export {
  recordingController,
  type RecordingControllerOptions,
} from './recording/recording.controller.js';
export { eventually } from './timing/eventually.js';
export { waitFor } from './timing/wait-for.js';
export { ConsumerProcess, spawnConsumer } from './process/consumer-process.js';
export type {
  ConsumerHarnessOptions,
  HarnessEvent,
} from './process/consumer-harness.protocol.js';
