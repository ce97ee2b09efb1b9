import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW } from '../testing/fixtures';
import { formatZonedInput, parseZonedInput, zoneOffsetMs } from './zoned-time';

const BRUSSELS = 'Europe/Brussels';

describe('zoned time', () => {
  it('knows the zone offset in winter and in summer', () => {
    expect(zoneOffsetMs(FIXTURE_NOW, BRUSSELS)).toBe(3_600_000);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 1, 12), BRUSSELS)).toBe(7_200_000);
    expect(zoneOffsetMs(FIXTURE_NOW, 'UTC')).toBe(0);
  });

  it('reads a datetime-local value in the operator zone, not the browser zone', () => {
    expect(parseZonedInput('2026-11-23T14:10', BRUSSELS)).toBe(FIXTURE_NOW);
    expect(parseZonedInput('2026-11-23T14:10', 'America/New_York')).toBe(Date.UTC(2026, 10, 23, 19, 10));
    expect(parseZonedInput('2026-07-01T14:10:30', BRUSSELS)).toBe(Date.UTC(2026, 6, 1, 12, 10, 30));
    expect(formatZonedInput(FIXTURE_NOW, BRUSSELS)).toBe('2026-11-23T14:10');
    expect(formatZonedInput(FIXTURE_NOW, 'Asia/Kolkata')).toBe('2026-11-23T18:40');
  });

  it('moves a time skipped by DST forward, and takes the later of a time that happens twice', () => {
    // 29 March 2026: 02:30 does not exist in Brussels (02:00 CET becomes 03:00 CEST).
    expect(parseZonedInput('2026-03-29T02:30', BRUSSELS)).toBe(Date.UTC(2026, 2, 29, 1, 30));
    // 25 October 2026: 02:30 happens in CEST and again in CET.
    expect(parseZonedInput('2026-10-25T02:30', BRUSSELS)).toBe(Date.UTC(2026, 9, 25, 1, 30));
  });

  it('refuses what is not a time or a calendar date', () => {
    expect(parseZonedInput('', BRUSSELS)).toBeNull();
    expect(parseZonedInput('yesterday', BRUSSELS)).toBeNull();
    expect(parseZonedInput('2026-02-31T10:00', BRUSSELS)).toBeNull();
    expect(parseZonedInput('2026-11-23T24:00', BRUSSELS)).toBeNull();
  });
});
