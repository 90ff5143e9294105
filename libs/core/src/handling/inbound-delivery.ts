/** A message as a transport received it, before anything was decoded. */
export interface InboundDelivery {
  /** Topic, queue, stream or table it was consumed from. */
  readonly destination: string;
  readonly headers: Record<string, string | undefined>;
  readonly body: Buffer | string;
  /**
   * Which delivery this is, starting at 1. Transports that count natively
   * (a row's attempts, a retry header) pass their count here.
   */
  readonly attempt: number;
  /** Type to assume when the headers do not name one. */
  readonly fallbackType?: string;
}
