/** Shown where a figure does not exist or was not measured. */
export const NONE = '–';

/** A rate or count with thousands separators: `12,345`. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NONE;
  }
  return Math.round(value).toLocaleString('en-US');
}

/** Milliseconds with two significant digits below 10: `0.42`, `3.1`, `27`. */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NONE;
  }
  if (value < 1) {
    return value.toFixed(2);
  }
  return value < 10 ? value.toFixed(1) : formatCount(value);
}

/** A ratio: `0.93`. */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NONE;
  }
  return value.toFixed(2);
}

/** A byte size: `256 B`, `4 KiB`. */
export function formatSize(bytes: number): string {
  return bytes >= 1024 && bytes % 1024 === 0
    ? `${bytes / 1024} KiB`
    : `${bytes} B`;
}

/** A share: `37%`. */
export function formatPercent(share: number): string {
  return Number.isFinite(share) ? `${Math.round(share * 100)}%` : NONE;
}
