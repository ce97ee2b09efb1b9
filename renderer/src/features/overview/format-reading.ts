/**
 * A reading as a person reads it: the number through Intl for the chosen language, the unit
 * from the catalogs (Intl's unit names differ between engines: "Mb/s" here, "Mbit/s" there),
 * bit rates scaled to k/M/G/T (SI, powers of 1000) and durations to s/min/h/d.
 */
import type { Reading, ReadingKey, Tile } from '../../../../shared/api';
import type { MessageKey } from '../../../../shared/i18n';
import { missingCase } from '../../../../shared/domain/missing-case';
import type { I18n } from '../../lib/i18n/i18n-context';

type Formatting = Pick<I18n, 't' | 'fmt'>;

const BIT_RATE_STEPS: readonly (readonly [number, MessageKey])[] = [
  [1e12, 'unit.terabitsPerSecond'],
  [1e9, 'unit.gigabitsPerSecond'],
  [1e6, 'unit.megabitsPerSecond'],
  [1e3, 'unit.kilobitsPerSecond'],
];

function withUnit(
  i18n: Formatting,
  key: MessageKey,
  value: number,
  options: Intl.NumberFormatOptions,
): string {
  return i18n.t(key, { value: i18n.fmt.number(value, options) });
}

function bitRate(i18n: Formatting, bitsPerSecond: number): string {
  for (const [factor, key] of BIT_RATE_STEPS) {
    if (Math.abs(bitsPerSecond) >= factor)
      return withUnit(i18n, key, bitsPerSecond / factor, { maximumSignificantDigits: 3 });
  }
  return withUnit(i18n, 'unit.bitsPerSecond', bitsPerSecond, { maximumFractionDigits: 0 });
}

/** A duration in ms: seconds below 2 minutes, minutes below 2 hours, hours below 2 days, then days. */
export function formatDuration(i18n: Formatting, ms: number): string {
  const seconds = ms / 1_000;
  const size = Math.abs(seconds);
  if (size < 120)
    return withUnit(i18n, 'unit.seconds', seconds, { maximumFractionDigits: size < 10 ? 1 : 0 });
  if (size < 120 * 60) return withUnit(i18n, 'unit.minutes', seconds / 60, { maximumFractionDigits: 0 });
  if (size < 48 * 3_600) return withUnit(i18n, 'unit.hours', seconds / 3_600, { maximumFractionDigits: 1 });
  return withUnit(i18n, 'unit.days', seconds / 86_400, { maximumFractionDigits: 1 });
}

export function formatReading(i18n: Formatting, reading: Reading): string {
  const { value } = reading;
  if (value === null) return i18n.t('value.missing');
  switch (reading.unit) {
    case 'percent':
      return withUnit(i18n, 'unit.percent', value, { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 1 });
    case 'celsius':
      return withUnit(i18n, 'unit.celsius', value, { maximumFractionDigits: 1 });
    case 'ampere':
      return withUnit(i18n, 'unit.ampere', value, { maximumFractionDigits: 1 });
    case 'volt':
      return withUnit(i18n, 'unit.volt', value, { maximumFractionDigits: 0 });
    case 'bitsPerSecond':
      return bitRate(i18n, value);
    case 'milliseconds':
      return Math.abs(value) < 1_000
        ? withUnit(i18n, 'unit.milliseconds', value, { maximumFractionDigits: Math.abs(value) < 10 ? 1 : 0 })
        : formatDuration(i18n, value);
    case 'minutes':
      return formatDuration(i18n, value * 60_000);
    case 'seconds':
      return formatDuration(i18n, value * 1_000);
    default:
      throw missingCase(reading.unit);
  }
}

/** The readings a tile shows under its primary value, by kind (the rest is in the detail panel). */
function secondaryKeys(tile: Tile): readonly ReadingKey[] {
  switch (tile.kind) {
    case 'ups':
      return ['minutesRemaining', 'secondsOnBattery'];
    case 'sensor':
      return ['humidity', 'temperature'];
    case 'switch':
      return ['inBitsPerSecond', 'outBitsPerSecond'];
    case 'pdu':
      return ['phaseLoad', 'inputVoltage'];
    case 'service':
      return ['latency'];
    default:
      throw missingCase(tile.kind);
  }
}

export function secondaryReadings(tile: Tile): readonly Reading[] {
  const shown: Reading[] = [];
  for (const key of secondaryKeys(tile)) {
    if (key === tile.primary?.key) continue;
    const reading = tile.readings.find((candidate) => candidate.key === key);
    if (reading) shown.push(reading);
  }
  return shown.slice(0, 2);
}
