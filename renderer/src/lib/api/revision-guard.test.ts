import { describe, expect, it } from 'vitest';
import { createRevisionGuard } from './revision-guard';

describe('createRevisionGuard', () => {
  it('accepts newer or equal revisions and drops older ones, per stream', () => {
    const guard = createRevisionGuard();
    expect(guard.accept('overview', 10)).toBe(true);
    expect(guard.accept('overview', 9)).toBe(false);
    expect(guard.accept('overview', 10)).toBe(true);
    expect(guard.accept('overview', 11)).toBe(true);
    expect(guard.accept('other', 1)).toBe(true);
  });

  it('accepts any revision first after a new epoch (an engine restart counts from the start)', () => {
    const guard = createRevisionGuard();
    guard.accept('overview', 900);
    guard.newEpoch();
    expect(guard.accept('overview', 3)).toBe(true);
    expect(guard.accept('overview', 2)).toBe(false);
  });
});
