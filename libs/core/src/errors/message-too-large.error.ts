/** A publish refused before it reached the broker: the body is over the limit. */
export class MessageTooLargeError extends Error {
  constructor(
    readonly messageType: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `message ${messageType} is ${sizeBytes} bytes, over the limit of ` +
        `${limitBytes} bytes; send large content by reference`,
    );
    this.name = 'MessageTooLargeError';
  }
}
