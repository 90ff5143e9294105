/**
 * An Error as its stack (name, message and frames) and nothing more.
 * Nest's ConsoleLogger prints an Error with `util.inspect`, which also
 * prints its own properties: a TypeORM QueryFailedError carries the
 * query's `parameters` and the driver's `detail`, that is customers'
 * e-mails, names and payloads. Other values pass unchanged.
 */
export function redactError(value: unknown): unknown {
  if (!(value instanceof Error)) {
    return value;
  }
  return value.stack ?? `${value.name}: ${value.message}`;
}
