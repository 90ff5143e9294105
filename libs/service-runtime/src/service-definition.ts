/** A class: a TypeORM entity or migration. */
export type ClassType = new (...args: never[]) => object;

/**
 * What one service tells the runtime about itself. Everything that depends
 * on the environment (URLs, namespace, port) comes from RuntimeConfig.
 */
export interface ServiceDefinition {
  /**
   * Service name, e.g. `order-service`: its consumer group and inbox
   * consumer name, and its name in logs and health answers.
   */
  readonly name: string;
  /** Base name of its database schema, e.g. `orders`. */
  readonly schema: string;
  /** HTTP port when PORT is not set. */
  readonly defaultPort: number;
  /** The service's TypeORM entities; the outbox and inbox are added. */
  readonly entities: readonly ClassType[];
  /**
   * Its migrations, run at startup after the outbox's. Give each a `name`
   * ending in a 13-digit timestamp, which survives bundling.
   */
  readonly migrations: readonly ClassType[];
  /**
   * The consumer groups of the messages this service publishes, with the
   * types each one handles. On the Postgres transport they are subscribed
   * before the first publish, so a message sent before its consumer first
   * started is kept for it instead of reaching no one.
   * @default {} (none)
   * @example { 'payment-service': ['order.created'] }
   */
  readonly consumers?: Readonly<Record<string, readonly string[]>>;
}

/** The definition with the namespace applied: the names actually used. */
export interface ResolvedService {
  readonly name: string;
  /** Schema of this run: `<namespace>_<schema>`, or `<schema>`. */
  readonly schema: string;
  /** The service name: transports scope groups by the namespace. */
  readonly consumerGroup: string;
  readonly port: number;
  /** ServiceDefinition.consumers; none when absent. */
  readonly consumers?: Readonly<Record<string, readonly string[]>>;
}
