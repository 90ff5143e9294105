/**
 * The `q` quantile (0..1) by the nearest-rank method: a value that was
 * really observed, which is what p99 of a latency sample should be.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) {
    return Number.NaN;
  }
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** (max - min) / median: how far apart repeated measurements were. */
export function relativeSpread(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length < 2) {
    return 0;
  }
  const middle = median(finite);
  return middle > 0 ? (Math.max(...finite) - Math.min(...finite)) / middle : 0;
}

/** Events per second for `count` events over `elapsedMs`. */
export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : Number.NaN;
}
