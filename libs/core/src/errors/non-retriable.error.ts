/**
 * Throw this (or a subclass) from a handler when retrying cannot help: the
 * message goes to the dead-letter destination at once.
 */
export class NonRetriableError extends Error {
  readonly retriable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
