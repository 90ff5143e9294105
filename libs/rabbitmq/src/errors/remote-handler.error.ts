/** A `@MessagePattern` handler threw; the caller receives its name and message. */
export class RemoteHandlerError extends Error {
  constructor(
    readonly pattern: string,
    readonly remoteName: string,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'RemoteHandlerError';
  }
}
