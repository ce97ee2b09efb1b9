/**
 * How coarse a query should be for a chart: a bucket per device-pixel column is all a canvas can
 * show, so asking the store for more only costs time. Steps are rounded up to a "nice" width
 * (1 s, 10 s, 1 min, ...) so that buckets line up across refreshes, and never below the
 * collection resolution.
 */
const NICE_STEPS_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Bucket width for a range drawn over `columns` device pixels, at least `resolutionMs`. */
export function stepForColumns(from: number, to: number, columns: number, resolutionMs = 10_000): number {
  const span = Math.max(1, to - from);
  const raw = Math.max(resolutionMs, Math.ceil(span / Math.max(1, Math.floor(columns))));
  return NICE_STEPS_MS.find((s) => s >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
}
