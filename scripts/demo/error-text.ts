/**
 * An error's message followed by the messages of its causes, so that
 * "order 3 was not accepted" also says what order-service answered.
 */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (current instanceof Error) {
      parts.push(current.message);
      current = current.cause;
    } else {
      parts.push(
        typeof current === 'string' ? current : JSON.stringify(current),
      );
      current = undefined;
    }
  }
  return parts.join(': ');
}
