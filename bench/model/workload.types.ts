/** The brokers the benchmark knows, in the order it runs them. */
export const TRANSPORTS = ['postgres', 'kafka', 'rabbitmq', 'redis'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/**
 * The three ways of moving the same messages: the driver used directly,
 * this project's transport, and Nest's built-in transport for the broker.
 */
export const VARIANTS = ['raw', 'ours', 'nest'] as const;
export type VariantName = (typeof VARIANTS)[number];

/** Where the brokers are; read once by the parent, handed to children. */
export interface BrokerEndpoints {
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly rabbitmqUrl: string;
  readonly redisUrl: string;
}

/** What a child needs to build its publisher or consumer. */
export interface WorkloadSpec {
  readonly transport: TransportName;
  readonly variant: VariantName;
  /**
   * Unique per variant run: the schema, topic prefix, queue prefix or key
   * prefix, so runs never see each other's messages.
   */
  readonly namespace: string;
  readonly endpoints: BrokerEndpoints;
  /** Handler slots of the consumers that have such a setting. */
  readonly concurrency: number;
}

/** The message the benchmark sends; its JSON is padded to the size. */
export interface BenchPayload {
  /** Phase tag: a consumer counts only messages of the phase it awaits. */
  readonly t: string;
  /** Sequence number within the phase, zero-padded to a fixed width. */
  readonly s: string;
  /**
   * Send time in ms since the epoch with three decimals, as text so its
   * width (and so the message size) never changes.
   */
  readonly at: string;
  /** Padding. */
  readonly p: string;
}
