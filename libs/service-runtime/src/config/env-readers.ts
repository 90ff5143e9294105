/**
 * Small, strict readers for environment variables. Each one fails early
 * with the variable's name and the bad value, never with a NaN later on.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class InvalidEnvError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string,
    expected: string,
  ) {
    super(`${variable} must be ${expected} (got "${value}")`);
    this.name = new.target.name;
  }
}

/** The trimmed value, or undefined when unset or blank. */
export function readString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** An integer within [min, max]; `fallback` when unset. */
export function readInteger(
  env: Env,
  name: string,
  fallback: number,
  { min = 0, max = Number.MAX_SAFE_INTEGER } = {},
): number {
  const raw = readString(env, name);
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidEnvError(name, raw, `an integer from ${min} to ${max}`);
  }
  return value;
}

/** A number from 0 to 1; `fallback` when unset. */
export function readRate(env: Env, name: string, fallback: number): number {
  const raw = readString(env, name);
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidEnvError(name, raw, 'a number from 0 to 1');
  }
  return value;
}

/** One of `choices`; `fallback` when unset. */
export function readChoice<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = readString(env, name);
  if (raw === undefined) {
    return fallback;
  }
  if (!(choices as readonly string[]).includes(raw)) {
    throw new InvalidEnvError(name, raw, `one of ${choices.join(', ')}`);
  }
  return raw as T;
}

/** A comma-separated list without blanks; `fallback` when unset. */
export function readList(
  env: Env,
  name: string,
  fallback: readonly string[],
): string[] {
  const raw = readString(env, name);
  if (raw === undefined) {
    return [...fallback];
  }
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) {
    throw new InvalidEnvError(name, raw, 'a comma-separated list');
  }
  return items;
}
