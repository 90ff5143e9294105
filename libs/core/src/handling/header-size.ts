/**
 * The size of a message's headers (every name and value, in UTF-8 bytes)
 * when it is over `limit`, else undefined. A string takes at most three
 * bytes per UTF-16 unit, so headers whose lengths sum to a third of the
 * limit are within it without counting bytes: the usual case is one pass
 * over the names.
 */
export function headersOverLimit(
  headers: Record<string, string | undefined>,
  limit: number,
): number | undefined {
  let units = 0;
  for (const name in headers) {
    units += name.length + (headers[name]?.length ?? 0);
  }
  if (units * 3 <= limit) {
    return undefined;
  }
  let bytes = 0;
  for (const name in headers) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(headers[name] ?? '');
  }
  return bytes > limit ? bytes : undefined;
}
