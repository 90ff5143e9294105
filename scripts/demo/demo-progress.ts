import cliProgress from 'cli-progress';

/** Progress of a run: orders sent, orders final. */
export interface DemoProgress {
  sent(count: number): void;
  final(count: number): void;
  /** Prints a line above the bars (or plainly without a terminal). */
  note(line: string): void;
  stop(): void;
}

/** Without a terminal, a plain line at most this often. */
const PLAIN_INTERVAL_MS = 2000;

/**
 * Two bars on stderr, "sent" and "final", when stderr is a terminal;
 * otherwise a plain status line now and then, so logs of CI runs show
 * progress too. stdout stays free for the summary and `--json`.
 */
export function demoProgress(
  total: number,
  signal?: AbortSignal,
): DemoProgress {
  const progress = process.stderr.isTTY
    ? new BarProgress(total)
    : new PlainProgress(total);
  // On Ctrl-C the bars stop at once, so that they do not redraw over the
  // lines that tell what is being stopped.
  signal?.addEventListener('abort', () => progress.stop(), { once: true });
  return progress;
}

class BarProgress implements DemoProgress {
  private readonly bars: cliProgress.MultiBar;
  private readonly sentBar: cliProgress.SingleBar;
  private readonly finalBar: cliProgress.SingleBar;

  constructor(total: number) {
    this.bars = new cliProgress.MultiBar(
      {
        format:
          '  {label} {bar} {value}/{total} {percentage}% | {duration_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    this.sentBar = this.bars.create(total, 0, { label: 'orders sent ' });
    this.finalBar = this.bars.create(total, 0, { label: 'orders final' });
  }

  sent(count: number): void {
    this.sentBar.update(count);
  }

  final(count: number): void {
    this.finalBar.update(count);
  }

  note(line: string): void {
    this.bars.log(`${line}\n`);
  }

  stop(): void {
    if (this.bars.isActive) {
      this.bars.stop();
    }
  }
}

class PlainProgress implements DemoProgress {
  private stopped = false;
  private sentCount = 0;
  private finalCount = 0;
  private printedAt = 0;
  private printed = '';

  constructor(private readonly total: number) {}

  sent(count: number): void {
    this.sentCount = count;
    this.maybePrint();
  }

  final(count: number): void {
    this.finalCount = count;
    this.maybePrint();
  }

  note(line: string): void {
    process.stderr.write(`${line}\n`);
  }

  stop(): void {
    if (!this.stopped) {
      this.maybePrint(true);
      this.stopped = true;
    }
  }

  private maybePrint(force = false): void {
    if (this.stopped) {
      return;
    }
    const line =
      `  orders sent ${this.sentCount}/${this.total}, ` +
      `final ${this.finalCount}/${this.total}`;
    const due = Date.now() - this.printedAt >= PLAIN_INTERVAL_MS;
    if (line !== this.printed && (force || due)) {
      process.stderr.write(`${line}\n`);
      this.printed = line;
      this.printedAt = Date.now();
    }
  }
}
