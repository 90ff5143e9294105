/**
 * Publishes between their call and their answer, so a client's `close()`
 * can let them finish before it takes the connection away: publishing
 * clients batch to the end of the turn or queue behind a request in
 * flight, and an `emit` nobody awaits would otherwise fail unseen.
 */
export class PublishesInFlight {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  /** Settles as `publish` does, counted until then. */
  async track<T>(publish: Promise<T>): Promise<T> {
    this.running.add(publish);
    try {
      return await publish;
    } finally {
      this.running.delete(publish);
    }
  }

  /**
   * Resolves true once every publish tracked now has settled (their
   * outcome goes to their callers; only their end matters here), or false
   * when `timeoutMs` passed first.
   */
  async settled(timeoutMs?: number): Promise<boolean> {
    const all = Promise.allSettled(this.running).then(() => true);
    if (timeoutMs === undefined || this.running.size === 0) {
      return all;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([all, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
