import { createHash } from 'node:crypto';

/** When the simulated gateway pretends to be unavailable. */
export interface TransientFailureSettings {
  /** Share of attempts that fail, 0 to 1. */
  readonly rate: number;
  /**
   * Failures one order can see at most: attempt `maxFailures + 1` always
   * goes through, so with MQ_MAX_ATTEMPTS above it every order succeeds.
   */
  readonly maxFailures: number;
  /**
   * With a seed the outcome of (order, attempt) is fixed, so a run can be
   * repeated exactly; without one each attempt draws at random.
   */
  readonly seed?: string;
}

/** Whether `attempt` (1-based) of the charge for `orderId` fails. */
export function isTransientFailure(
  settings: TransientFailureSettings,
  orderId: string,
  attempt: number,
  random: () => number = Math.random,
): boolean {
  if (settings.rate <= 0 || attempt > settings.maxFailures) {
    return false;
  }
  const draw =
    settings.seed === undefined
      ? random()
      : seededDraw(`${settings.seed}:${orderId}:${attempt}`);
  return draw < settings.rate;
}

/** A number in [0, 1) fixed by `input`. */
function seededDraw(input: string): number {
  const digest = createHash('sha256').update(input).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}
