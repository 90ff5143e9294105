/**
 * A request got no reply: it timed out, the connection it was sent on was
 * lost (its reply can no longer arrive), or the client closed.
 */
export class RequestFailedError extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: 'timeout' | 'connection-lost' | 'closed',
    detail: string,
  ) {
    super(`request "${pattern}" failed: ${detail}`);
    this.name = 'RequestFailedError';
  }
}
