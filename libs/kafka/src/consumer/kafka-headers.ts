import type { IHeaders } from 'kafkajs';

/**
 * Kafka headers as strings. kafkajs hands them over as Buffers, and as an
 * array when a name repeats; the last value of a repeated name wins.
 */
export function decodeHeaders(
  headers: IHeaders | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) {
      out[name.toLowerCase()] = last.toString();
    }
  }
  return out;
}
