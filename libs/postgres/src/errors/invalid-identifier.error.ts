/**
 * A schema or channel name the transport refuses to put into SQL. Only
 * lower-case unquoted identifiers are accepted, so a name means the same in
 * every statement and nothing unchecked ever reaches the database.
 */
export class InvalidIdentifierError extends Error {
  constructor(
    readonly option: string,
    readonly value: string,
  ) {
    super(
      `${option} "${value}" is not a valid name: use 1 to 63 characters ` +
        'of a-z, 0-9 and _, starting with a letter or _',
    );
    this.name = 'InvalidIdentifierError';
  }
}
