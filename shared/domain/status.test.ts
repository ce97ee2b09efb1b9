import { describe, expect, it } from 'vitest';
import { countByStatus, isStale, worstStatus } from './status';

describe('worstStatus', () => {
  it('is unknown when nothing is known', () => {
    expect(worstStatus([])).toBe('unknown');
  });
  it('never lets up or maintenance hide an unknown source', () => {
    expect(worstStatus(['up', 'unknown', 'maintenance'])).toBe('unknown');
  });
  it('ranks down above degraded above unknown', () => {
    expect(worstStatus(['degraded', 'up', 'down', 'unknown'])).toBe('down');
    expect(worstStatus(['unknown', 'degraded'])).toBe('degraded');
  });
});

describe('countByStatus', () => {
  it('lists every status, zero when absent', () => {
    expect(countByStatus(['up', 'up', 'down'])).toEqual({
      down: 1,
      degraded: 0,
      unknown: 0,
      maintenance: 0,
      up: 2,
    });
  });
});

describe('isStale', () => {
  it('treats a source that never answered as stale', () => {
    expect(isStale(null, 1_000, 10_000, 3)).toBe(true);
  });
  it('is fresh within the allowed number of intervals and stale after', () => {
    expect(isStale(0, 30_000, 10_000, 3)).toBe(false);
    expect(isStale(0, 30_001, 10_000, 3)).toBe(true);
  });
});
