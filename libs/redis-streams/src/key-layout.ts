/**
 * Every key the transport uses, derived from one prefix:
 *
 * - `<prefix>:stream:<pattern>` the stream of one event pattern
 * - `<prefix>:stream:<pattern>:dlq` its dead letters (every group)
 * - `<prefix>:retry` sorted set of scheduled retries, scored by due time
 * - `<prefix>:retry:<id>` one scheduled retry: target stream, then fields
 * - `<prefix>:dlq-index` set of the dead-letter streams that exist
 */
export class KeyLayout {
  constructor(readonly prefix: string) {
    if (!prefix) {
      throw new TypeError('keyPrefix must be a non-empty string');
    }
  }

  stream(pattern: string): string {
    return `${this.prefix}:stream:${pattern}`;
  }

  deadLetters(stream: string): string {
    return `${stream}:dlq`;
  }

  /** The pattern of a stream key of this layout, undefined for others. */
  patternOf(stream: string): string | undefined {
    const head = `${this.prefix}:stream:`;
    return stream.startsWith(head) ? stream.slice(head.length) : undefined;
  }

  isDeadLetterStream(key: string): boolean {
    return key.startsWith(`${this.prefix}:stream:`) && key.endsWith(':dlq');
  }

  get retrySchedule(): string {
    return `${this.prefix}:retry`;
  }

  /** Prefix of the per-retry keys; the script appends the retry id. */
  get retryEntryPrefix(): string {
    return `${this.prefix}:retry:`;
  }

  retryEntry(retryId: string): string {
    return `${this.retryEntryPrefix}${retryId}`;
  }

  get deadLetterIndex(): string {
    return `${this.prefix}:dlq-index`;
  }
}
