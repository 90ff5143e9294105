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
}

/** Server options the suite may set on top of the common ones. */
export type KitServerOptions = ReliableServerOptions;

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

  /** Creates whatever the namespace needs on the broker (idempotent). */
  setup(): Promise<void>;
  /** Deletes the namespace's data from the broker. */
  teardown(): Promise<void>;

  createServer(options: KitServerOptions): ReliableServer;
  createClient(options?: KitClientOptions): ReliableClientProxy;
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
 * depend on Vitest.
 */
export interface TestKitModule {
  createTestKit(namespace: string): TransportTestKit | Promise<TransportTestKit>;
}
