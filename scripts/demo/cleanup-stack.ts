import { errorText } from './error-text.js';

interface Step {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/**
 * What a run must undo, undone last-in first-out exactly once, whether the
 * run ends, fails or is interrupted. A failing step does not stop the
 * others; its error is reported with the step's name.
 */
export class CleanupStack {
  private readonly steps: Step[] = [];
  private running?: Promise<string[]>;

  push(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  /**
   * Runs every step once; later calls get the same promise. `report` hears
   * the name of each step as it starts.
   */
  run(report?: (step: string) => void): Promise<string[]> {
    this.running ??= this.runAll(report);
    return this.running;
  }

  private async runAll(report?: (step: string) => void): Promise<string[]> {
    const failures: string[] = [];
    for (const step of this.steps.splice(0).toReversed()) {
      report?.(step.name);
      try {
        await step.run();
      } catch (error) {
        const failure = `${step.name}: ${errorText(error)}`;
        failures.push(failure);
        report?.(`failed: ${failure}`);
      }
    }
    return failures;
  }
}
