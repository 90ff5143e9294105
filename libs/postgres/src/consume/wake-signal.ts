/**
 * How the claim loop sleeps: until woken (a NOTIFY, a finished delivery, a
 * due retry), until the timeout, or until stopped. A wake that arrives
 * while the loop is busy claiming is remembered, so the loop claims again
 * instead of sleeping through it.
 */
export class WakeSignal {
  private requested = false;
  private stopped = false;
  private wakeUp?: () => void;
  private markStopped: () => void = () => undefined;
  /** Settles once `stop()` was called. */
  readonly whenStopped = new Promise<void>((resolve) => {
    this.markStopped = resolve;
  });

  /** Whether a wake arrived since the last `reset()`. */
  get isRequested(): boolean {
    return this.requested;
  }

  /** Forgets earlier wakes; called right before a claim. */
  reset(): void {
    this.requested = false;
  }

  wake(): void {
    this.requested = true;
    this.wakeUp?.();
  }

  stop(): void {
    this.stopped = true;
    this.markStopped();
    this.wakeUp?.();
  }

  sleep(ms: number): Promise<void> {
    if (this.requested || this.stopped) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wakeUp?.(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }
}
