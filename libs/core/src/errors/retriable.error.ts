/**
 * An explicitly transient failure. Any error that is not a NonRetriableError
 * is retried anyway; this class exists to say so in code.
 */
export class RetriableError extends Error {
  readonly retriable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
