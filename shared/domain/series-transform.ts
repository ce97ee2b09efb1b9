/**
 * What a chart may do to a stored series before drawing it, so that data collected by others
 * (Telegraf) reads like Vigie's own: a counter as a per-second rate (interface octets), then
 * `value × scale + offset` (octets → bits: ×8; idle → busy: ×−1 + 100; seconds → ms: ×1000).
 *
 * A counter that goes down was reset (agent restart) or wrapped: the rate there is a gap, never a
 * negative spike (DESIGN.md section 3, RFC 2863 section 3.1.6; InfluxDB's
 * `non_negative_derivative` makes the same choice). Nothing here invents a value: a missing input
 * stays missing.
 */
import { z } from 'zod';

export const seriesTransformSchema = z.strictObject({
  /** Per-second rate of change of a counter; a decrease is a gap. */
  rate: z.boolean().default(false),
  /** Multiplies each value (after the rate). */
  scale: z
    .number()
    .refine((v) => Number.isFinite(v) && v !== 0, 'a finite number other than 0')
    .default(1),
  /** Added to each value (after the scale). */
  offset: z
    .number()
    .refine((v) => Number.isFinite(v), 'a finite number')
    .default(0),
  /**
   * The unit of the result (`bitsPerSecond`, `percent`, `milliseconds`...). Without it, a series
   * keeps its field's unit only when the transform leaves values as they are; otherwise it has no
   * unit rather than a wrong one.
   */
  unit: z.string().min(1).max(40).optional(),
});
export type SeriesTransform = z.output<typeof seriesTransformSchema>;
export type SeriesTransformInput = z.input<typeof seriesTransformSchema>;

/** Whether the transform changes anything at all. */
export function isIdentity(transform: SeriesTransform): boolean {
  return !transform.rate && transform.scale === 1 && transform.offset === 0;
}

/** The unit of a transformed series: the transform's, else the field's when values are unchanged. */
export function transformedUnit(transform: SeriesTransform, fieldUnit: string | null): string | null {
  if (transform.unit !== undefined) return transform.unit;
  return isIdentity(transform) ? fieldUnit : null;
}

/**
 * The longest time across which a rate is still computed between two samples: beyond it the
 * samples are too far apart for their average rate to mean "the rate then", and it is a gap.
 * Three buckets (one lost poll is bridged), and never less than five minutes (SNMP polled every
 * minute or two in buckets of ten seconds).
 */
export function rateMaxGapMs(stepMs: number): number {
  return Math.max(3 * stepMs, 300_000);
}

/**
 * Per-second rates of a counter series: each value is the rate since the previous non-null
 * sample no more than `maxGapMs` before it; the first sample, a decrease and a longer silence are
 * gaps (null).
 */
export function counterRates(
  times: readonly number[],
  values: readonly (number | null)[],
  maxGapMs: number,
): (number | null)[] {
  const out: (number | null)[] = [];
  let prevTime: number | null = null;
  let prevValue: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? null;
    const time = times[i] ?? Number.NaN;
    if (value === null || !Number.isFinite(value)) {
      out.push(null);
      continue;
    }
    const seconds = prevTime === null ? 0 : (time - prevTime) / 1000;
    const usable =
      prevValue !== null &&
      prevTime !== null &&
      seconds > 0 &&
      time - prevTime <= maxGapMs &&
      value >= prevValue;
    out.push(usable ? (value - (prevValue ?? 0)) / seconds : null);
    prevTime = time;
    prevValue = value;
  }
  return out;
}

/** Applies a transform to a series' values (times unchanged). */
export function applyTransform(
  series: { readonly times: readonly number[]; readonly values: readonly (number | null)[] },
  transform: SeriesTransform,
  stepMs: number,
): (number | null)[] {
  const base = transform.rate
    ? counterRates(series.times, series.values, rateMaxGapMs(stepMs))
    : [...series.values];
  if (transform.scale === 1 && transform.offset === 0) return base;
  return base.map((v) => (v === null ? null : v * transform.scale + transform.offset));
}
