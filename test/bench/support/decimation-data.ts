/**
 * Synthetic metric series for the decimation benchmark: 30 days at one sample every 10 s, shaped
 * like a datacenter reading (daily cycle, sensor noise, a few short spikes, a collector outage).
 * Seeded, so every run and both sides of a comparison see the same points.
 */

export const SAMPLE_EVERY_MS = 10_000;
export const POINTS_PER_SERIES = 30 * 24 * 360; // 259,200: 30 days at 10 s.
export const START_MS = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;

export interface BenchSeries {
  readonly times: Float64Array;
  /** NaN marks a gap. */
  readonly values: Float64Array;
}

/** mulberry32: small, fast, and good enough to draw noise from a fixed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One series; `index` varies level, phase, spikes and the outage between the series. */
export function makeSeries(index: number, points = POINTS_PER_SERIES): BenchSeries {
  const random = seededRandom(0x5eed + index * 7919);
  const times = new Float64Array(points);
  const values = new Float64Array(points);
  const level = 40 + 15 * index;
  const amplitude = 8 + 3 * index;
  const phase = index * 1.3;
  for (let i = 0; i < points; i++) {
    const t = START_MS + i * SAMPLE_EVERY_MS;
    times[i] = t;
    // Sum of three uniforms: roughly Gaussian sensor noise without a library.
    const noise = (random() + random() + random() - 1.5) * 2.5;
    values[i] = level + amplitude * Math.sin((2 * Math.PI * (t - START_MS)) / DAY_MS + phase) + noise;
  }
  // A few spikes of one to three samples (a fan stall, a load burst): what LTTB tends to lose.
  for (let s = 0; s < 6; s++) {
    const at = Math.floor(random() * (points - 3));
    const width = 1 + Math.floor(random() * 3);
    const height = (random() < 0.5 ? -1 : 1) * (20 + random() * 20);
    for (let k = 0; k < width; k++) values[at + k] = (values[at + k] ?? 0) + height;
  }
  // A collector outage of about two hours: NaN, drawn as a break in the line.
  const outageStart = Math.floor(points * (0.3 + 0.15 * index));
  values.fill(Number.NaN, outageStart, Math.min(points, outageStart + 720 + index * 97));
  return { times, values };
}
