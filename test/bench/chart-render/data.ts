/**
 * Synthetic metric series for the chart render benchmark: a temperature-like reading with a daily
 * cycle, sensor noise, a few one-to-three-sample spikes and a collector outage (NaN: a gap). Seeded,
 * so every run and every variant of the comparison see the same values.
 */

export const DAY_MS = 86_400_000;
/** 30 days at one sample every 10 s: 259,200 points per series. */
export const RAW_STEP_MS = 10_000;
export const RANGE_MS = 30 * DAY_MS;
export const RAW_POINTS = RANGE_MS / RAW_STEP_MS;
export const START_MS = Date.UTC(2025, 0, 1);

export interface RawSeries {
  readonly times: Float64Array;
  /** NaN marks a gap. */
  readonly values: Float64Array;
}

/** mulberry32: a tiny seeded generator, enough for reproducible noise. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Series `index` of `points` samples spread evenly over the 30 days. */
export function makeSeries(index: number, points: number): RawSeries {
  const random = seeded(0xc4a27 + index * 104_729);
  const step = RANGE_MS / points;
  const times = new Float64Array(points);
  const values = new Float64Array(points);
  const level = 22 + 6 * index;
  const swing = 3 + 1.5 * index;
  const phase = 0.9 * index;
  for (let i = 0; i < points; i++) {
    const t = START_MS + i * step;
    times[i] = t;
    const noise = (random() + random() + random() - 1.5) * 0.3;
    values[i] = level + swing * Math.sin((2 * Math.PI * (t - START_MS)) / DAY_MS + phase) + noise;
  }
  // Short spikes, as a fan stall or a load burst would leave.
  for (let s = 0; s < 6; s++) {
    const at = Math.floor(random() * (points - 3));
    const width = 1 + Math.floor(random() * 3);
    const height = (random() < 0.5 ? -1 : 1) * (8 + random() * 8);
    for (let k = 0; k < width; k++) values[at + k] = (values[at + k] ?? 0) + height;
  }
  // A collector outage of about two hours (a share of the points of the 10 s series).
  const outage = Math.max(1, Math.round((2 * 3_600_000) / step));
  const outageStart = Math.floor(points * (0.25 + 0.2 * index));
  values.fill(Number.NaN, outageStart, Math.min(points, outageStart + outage));
  return { times, values };
}
