import type { IHeaders } from 'kafkajs';

/**
 * Kafka headers as strings. kafkajs hands them over as Buffers, and as an
 * array when a name repeats; the last value of a repeated name wins. Runs
 * once per message, hence the plain loop.
 */
export function decodeHeaders(
  headers: IHeaders | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) {
    return out;
  }
  for (const name in headers) {
    const value = headers[name];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) {
      out[name.toLowerCase()] =
        typeof last === 'string' ? last : last.toString();
    }
  }
  return out;
}
