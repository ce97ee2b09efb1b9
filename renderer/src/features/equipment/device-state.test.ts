import { describe, expect, it } from 'vitest';
import { device } from '../../lib/testing/equipment-fixtures';
import { FIXTURE_NOW, STALE_SAMPLE_AT } from '../../lib/testing/fixtures';
import { deviceStateAt, localStaleDeadline } from './device-state';
import { countPassed } from './use-device-states';

const health = (change: Partial<ReturnType<typeof device>['health']>) => ({
  lastAttemptAt: FIXTURE_NOW,
  lastSuccessAt: FIXTURE_NOW,
  latencyMs: 10,
  consecutiveFailures: 0,
  lastError: null,
  requests: { sent: 1, failed: 0 },
  ...change,
});

describe('deviceStateAt', () => {
  it('shows the status of a device answering now', () => {
    const d = device({ id: 'd', name: 'D', status: 'degraded' });
    expect(deviceStateAt(d, 10_000, FIXTURE_NOW)).toEqual({
      status: 'degraded',
      freshness: 'fresh',
      lastSuccessAt: FIXTURE_NOW - 4_000,
    });
  });

  it('never shows up for a device that never answered', () => {
    const d = device({ id: 'd', name: 'D', status: 'up', health: health({ lastSuccessAt: null }) });
    expect(deviceStateAt(d, 10_000, FIXTURE_NOW)).toEqual({
      status: 'unknown',
      freshness: 'never',
      lastSuccessAt: null,
    });
  });

  it('shows a device whose polls fail as unknown since its last answer, whatever it said then', () => {
    const d = device({
      id: 'd',
      name: 'D',
      status: 'up',
      health: health({ lastSuccessAt: STALE_SAMPLE_AT, consecutiveFailures: 1 }),
    });
    expect(deviceStateAt(d, 10_000, FIXTURE_NOW)).toEqual({
      status: 'unknown',
      freshness: 'unreachable',
      lastSuccessAt: STALE_SAMPLE_AT,
    });
  });

  it('turns a device grey on its own once its last answer is older than 3 intervals and 15 s', () => {
    const d = device({ id: 'd', name: 'D', health: health({ lastSuccessAt: FIXTURE_NOW }) });
    expect(localStaleDeadline(d, 10_000)).toBe(FIXTURE_NOW + 45_000);
    expect(deviceStateAt(d, 10_000, FIXTURE_NOW + 44_999).freshness).toBe('fresh');
    expect(deviceStateAt(d, 10_000, FIXTURE_NOW + 45_000)).toMatchObject({
      status: 'unknown',
      freshness: 'silent',
    });
    // A device polled every minute is not stale after 45 s.
    expect(deviceStateAt(d, 60_000, FIXTURE_NOW + 45_000).freshness).toBe('fresh');
  });
});

describe('countPassed', () => {
  it('counts the deadlines at or before now', () => {
    expect(countPassed([], 5)).toBe(0);
    expect(countPassed([1, 5, 9], 0)).toBe(0);
    expect(countPassed([1, 5, 9], 5)).toBe(2);
    expect(countPassed([1, 5, 9], 10)).toBe(3);
  });
});
