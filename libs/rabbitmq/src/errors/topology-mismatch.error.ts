/**
 * A queue or exchange already exists with other arguments (AMQP 406
 * PRECONDITION_FAILED). A configuration error: the server does not start,
 * since reconnecting cannot fix it.
 */
export class TopologyMismatchError extends Error {
  constructor(
    readonly kind: 'queue' | 'exchange',
    readonly entity: string,
    readonly brokerMessage: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${kind} "${entity}" already exists with other arguments ` +
        `(${brokerMessage}); delete it or make the transport options match ` +
        '(policies, unlike arguments, can change an existing queue)',
      options,
    );
    this.name = 'TopologyMismatchError';
  }
}
