/**
 * How coarse a query should be for a chart drawn over `columns` CSS-pixel columns (the plot's
 * width): {@link BUCKETS_PER_COLUMN} buckets per column at most. A line of aggregates keeps the
 * shape of the data with a few per column (one per column would flatten what happens within one),
 * and the canvas shows no more than that, so asking the store for more only costs time. Steps are
 * rounded up to a "nice" width (1 s, 10 s, 1 min, ...) so that buckets line up across refreshes,
 * which leaves between 1.6 and 4 buckets per column, and never below the collection resolution.
 */
const NICE_STEPS_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Buckets asked per column of the plot, before rounding the step up to a nice one. */
export const BUCKETS_PER_COLUMN = 4;

/** Bucket width for a range drawn over `columns` CSS-px columns, at least `resolutionMs`. */
export function stepForColumns(from: number, to: number, columns: number, resolutionMs = 10_000): number {
  const span = Math.max(1, to - from);
  const buckets = Math.max(1, Math.floor(columns)) * BUCKETS_PER_COLUMN;
  const raw = Math.max(resolutionMs, Math.ceil(span / buckets));
  return NICE_STEPS_MS.find((s) => s >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
}

/**
 * The columns for which {@link stepForColumns} gives `stepMs` (a nice step, for `vigie query
 * --step`): exact when the range holds more than 2 × {@link BUCKETS_PER_COLUMN} steps of up to a
 * day, or a whole number of columns of them; otherwise a finer nice step (a range of a few steps
 * cannot have fewer than BUCKETS_PER_COLUMN buckets). Clamped to [1, maxColumns].
 */
export function columnsForStep(from: number, to: number, stepMs: number, maxColumns = 16_384): number {
  const span = Math.max(1, to - from);
  const columns = Math.ceil(span / (Math.max(1, stepMs) * BUCKETS_PER_COLUMN));
  return Math.max(1, Math.min(maxColumns, columns));
}
