/** Options of OutboxService. */
export interface OutboxServiceOptions {
  /**
   * NOTIFY channel that wakes the relay; must match the relay's.
   * @default `<schema>_outbox`, from the schema of the outbox table
   */
  channel?: string;
  /**
   * Largest encoded payload `add` accepts, in bytes; keep it at or below the
   * transport's own limit, so a row that was accepted can be published.
   * @default DEFAULT_MAX_MESSAGE_BYTES from @mq/core (256 KiB)
   */
  maxMessageBytes?: number;
  /**
   * Longest ordering key `add` accepts, in UTF-8 bytes. Transports index
   * the key (the Postgres transport's btree refuses much more than 2 KiB),
   * and a row the transport refuses fails every relay batch and holds back
   * every message after it; so a longer key fails in your transaction.
   * @default 1024
   */
  maxKeyBytes?: number;
}

/** One message for `OutboxService.addMany`. */
export interface OutboxEntry<T = unknown> {
  readonly type: string;
  readonly payload: T;
  /** Ordering key. */
  readonly key: string;
  readonly headers?: Record<string, string>;
  /** Fixed message id, e.g. derived from a business id; a UUID. */
  readonly id?: string;
  readonly occurredAt?: Date;
}
