/** A promise a test opens by hand, to hold a handler until the right moment. */
export class Gate {
  readonly opened: Promise<void>;
  private release: () => void = () => undefined;

  constructor() {
    this.opened = new Promise<void>((resolve) => {
      this.release = resolve;
    });
  }

  open(): void {
    this.release();
  }
}
