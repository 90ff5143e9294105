import type {
  DeadLetterStore,
  ReliableClientProxy,
  ReliableServer,
  ReliableServerOptions,
} from '@mq/core';

/** What a transport promises beyond the common contract. */
export interface TransportFeatures {
  /** Same-key messages arrive in publish order on the happy path. */
  readonly orderingByKey: boolean;
  /** `@MessagePattern` request-reply works through the client. */
  readonly requestReply: boolean;
  /**
   * Two servers of one consumer group both get work when many keys are
   * published at once. Set it to false only when the kit's destinations
   * cannot be shared (a Kafka topic with one partition, say).
   * @default true
   */
  readonly distributesWork?: boolean;
}

/**
 * Options the suite passes to `createServer`: the common ones, plus the
 * transport-specific extras the kit itself handed out in
 * `crashRecoveryOptions`. The suite never invents transport-specific keys.
 */
export type KitServerOptions = ReliableServerOptions &
  Readonly<Record<string, unknown>>;

export interface KitClientOptions {
  /** Body size limit for publishes, in bytes. */
  maxMessageBytes?: number;
}

/**
 * Everything the conformance suite needs from one transport. A kit is bound
 * to one namespace (a schema, a topic or queue prefix, a key prefix), so two
 * kits with different namespaces never see each other's messages, and two
 * kits with the same namespace (a test and its child process) share them.
 */
export interface TransportTestKit {
  readonly name: string;
  readonly namespace: string;
  readonly features: TransportFeatures;

  /**
   * Server options that make the transport give a consumer's in-flight
   * messages to another consumer within a few seconds once the first one
   * died or left without acknowledging them: a short lease, visibility or
   * session timeout (e.g. `{ leaseMs: 1500 }`). The suite merges them over
   * its own options in the consumer-crash and graceful-shutdown cases, in
   * the test process and in the child process, so they must be plain JSON
   * values. Leave it out when a lost connection already releases the
   * messages at once (an AMQP channel, a rolled-back transaction).
   */
  readonly crashRecoveryOptions?: Readonly<Record<string, unknown>>;

  /** Creates whatever the namespace needs on the broker (idempotent). */
  setup(): Promise<void>;
  /** Deletes the namespace's data from the broker. */
  teardown(): Promise<void>;

  /**
   * A server strategy for this namespace. The suite publishes as soon as
   * the Nest microservice's `listen()` has resolved, so the server must
   * call its listen callback only once its consumer group is subscribed:
   * a message published afterwards reaches that group.
   */
  createServer(options: KitServerOptions): ReliableServer;
  /** A client for this namespace; the suite calls `connect()` itself. */
  createClient(options?: KitClientOptions): ReliableClientProxy;
  /** The dead letters of one consumer group in this namespace. */
  deadLetters(consumerGroup: string): DeadLetterStore;

  /**
   * Publishes bytes as they are, skipping the codec, with the given headers,
   * to the destination of `type`: how the suite sends a body that is not JSON.
   */
  publishRaw(
    type: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<void>;

  /**
   * Cuts the connections that `server` holds to the broker from the broker's
   * side (pg_terminate_backend, CLIENT KILL, close_all_connections, ...), to
   * prove that the server reconnects and carries on.
   */
  dropServerConnections(server: ReliableServer): Promise<void>;
}

/**
 * A module that exports `createTestKit(namespace)`. The suite imports it in
 * the test process and in child processes (the crash case), so it must not
 * depend on Vitest. `createTestKit` must not open connections (that is
 * `setup()`'s job): the suite calls it once while collecting tests, to read
 * `name` and `features`, and never sets that kit up.
 */
export interface TestKitModule {
  createTestKit(
    namespace: string,
  ): TransportTestKit | Promise<TransportTestKit>;
}
