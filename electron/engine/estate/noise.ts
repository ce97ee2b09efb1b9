/**
 * Deterministic noise for the training estate. Every wobble a tile shows comes from a hash of
 * (estate seed, what is measured, when), never from Math.random: the same seed and the same
 * fake-clock times give the same readings, so tests can assert on them and drills replay alike.
 */

/** FNV-1a, 32 bits: turns a name (device id, column) into a stable key. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Mixes a key with a non-negative integer (a lattice step, a request number) into 32 well-spread
 * bits (the murmur3 finaliser). Integers above 2^32 keep their high part, so epoch-based steps
 * stay distinct.
 */
export function mix(key: number, n: number): number {
  const high = Math.floor(n / 0x1_0000_0000);
  let h = (key ^ Math.imul(high, 0x27d4eb2f) ^ Math.imul(n >>> 0, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform draw in [0, 1) for (key, n). */
export function unit(key: number, n: number): number {
  return mix(key, n) / 0x1_0000_0000;
}

/**
 * Smooth value noise in [-1, 1]: random values on a lattice of `periodMs`, joined by a cosine
 * curve, so a reading drifts instead of jumping between two polls.
 */
export function smoothNoise(key: number, atMs: number, periodMs: number): number {
  const position = atMs / periodMs;
  const step = Math.floor(position);
  const fraction = position - step;
  const from = unit(key, step) * 2 - 1;
  const to = unit(key, step + 1) * 2 - 1;
  const weight = (1 - Math.cos(Math.PI * fraction)) / 2;
  return from + (to - from) * weight;
}
