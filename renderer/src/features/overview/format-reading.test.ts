import { describe, expect, it } from 'vitest';
import { translate, type Locale } from '../../../../shared/i18n';
import type { Reading } from '../../../../shared/api';
import { createFormatters } from '../../lib/i18n/formatters';
import { formatReading, secondaryReadings } from './format-reading';
import { fixtureTiles } from '../../lib/testing/fixtures';

function format(locale: Locale, reading: Reading): string {
  const i18n = {
    t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
      translate(locale, key, params),
    fmt: createFormatters(locale, 'Europe/Brussels'),
  };
  return formatReading(i18n, reading).replace(/\u00a0|\u202f/g, ' ');
}

describe('formatReading', () => {
  it('formats numbers for the language and puts the unit after them', () => {
    expect(format('en', { key: 'temperature', value: 23.45, unit: 'celsius' })).toBe('23.5 °C');
    expect(format('fr', { key: 'temperature', value: 23.45, unit: 'celsius' })).toBe('23,5 °C');
    expect(format('fr', { key: 'batteryCharge', value: 87, unit: 'percent' })).toBe('87 %');
    expect(format('nl', { key: 'batteryCharge', value: 87, unit: 'percent' })).toBe('87%');
    expect(format('nl', { key: 'phaseLoad', value: 14.25, unit: 'ampere' })).toBe('14,3 A');
    expect(format('en', { key: 'inputVoltage', value: 230.6, unit: 'volt' })).toBe('231 V');
  });

  it('scales bit rates to k, M, G and T (powers of 1000)', () => {
    const rate = (value: number, locale: Locale = 'en') =>
      format(locale, { key: 'inBitsPerSecond', value, unit: 'bitsPerSecond' });
    expect(rate(512)).toBe('512 bit/s');
    expect(rate(945_000)).toBe('945 kbit/s');
    expect(rate(12_345_678)).toBe('12.3 Mbit/s');
    expect(rate(12_345_678, 'fr')).toBe('12,3 Mbit/s');
    expect(rate(9_990_000_000)).toBe('9.99 Gbit/s');
    expect(rate(1.5e12)).toBe('1.5 Tbit/s');
  });

  it('shows durations in the unit a person reads best', () => {
    expect(format('en', { key: 'latency', value: 120, unit: 'milliseconds' })).toBe('120 ms');
    expect(format('en', { key: 'latency', value: 2_400, unit: 'milliseconds' })).toBe('2.4 s');
    expect(format('en', { key: 'minutesRemaining', value: 42, unit: 'minutes' })).toBe('42 min');
    expect(format('en', { key: 'secondsOnBattery', value: 95, unit: 'seconds' })).toBe('95 s');
    expect(format('en', { key: 'secondsOnBattery', value: 600, unit: 'seconds' })).toBe('10 min');
    expect(format('en', { key: 'minutesRemaining', value: 300, unit: 'minutes' })).toBe('5 h');
    expect(format('fr', { key: 'uptime', value: 3 * 86_400, unit: 'seconds' })).toBe('3 j');
  });

  it('says a missing value is missing instead of showing zero', () => {
    expect(format('en', { key: 'latency', value: null, unit: 'milliseconds' })).toBe('no value');
    expect(format('nl', { key: 'latency', value: null, unit: 'milliseconds' })).toBe('geen waarde');
  });
});

describe('secondaryReadings', () => {
  it('shows runtime and time on battery for a UPS, in/out for a switch, humidity for a sensor', () => {
    const keys = (id: string) => secondaryReadings(fixtureTiles.find((t) => t.id === id)!).map((r) => r.key);
    expect(keys('ups-a1')).toEqual(['minutesRemaining', 'secondsOnBattery']);
    expect(keys('switch-a1')).toEqual(['outBitsPerSecond']);
    expect(keys('sensor-a1')).toEqual(['humidity']);
  });
});
