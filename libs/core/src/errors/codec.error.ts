/** A value cannot be carried as JSON (a BigInt, a cycle, a function). */
export class CodecError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path}`);
    this.name = 'CodecError';
  }
}
