/** A handler ran longer than its time limit. Counted as a retriable failure. */
export class HandlerTimeoutError extends Error {
  constructor(
    readonly pattern: string,
    readonly timeoutMs: number,
  ) {
    super(`handler for "${pattern}" did not finish within ${timeoutMs} ms`);
    this.name = 'HandlerTimeoutError';
  }
}
