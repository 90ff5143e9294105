/**
 * Runs an async job every `intervalMs`, never two runs at once. `stop()`
 * cancels the next run and waits for the current one. The job handles its
 * own errors; one that escapes is passed to `onError`.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly job: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Runs the job now unless it is running; the schedule goes on after. */
  async runNow(): Promise<void> {
    if (this.current) {
      return this.current;
    }
    clearTimeout(this.timer);
    this.current = this.job()
      .catch(this.onError)
      .finally(() => {
        this.current = undefined;
        this.schedule();
      });
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  private schedule(): void {
    if (this.stopped) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runNow(), this.intervalMs);
  }
}
