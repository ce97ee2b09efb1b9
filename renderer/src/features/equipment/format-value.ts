/**
 * A profile reading as an operator reads it: the number through Intl for the chosen language with
 * its unit from the catalogs (bit rates scaled to k/M/G/T, bytes to KiB/MiB/GiB/TiB, durations to
 * s/min/h/d), an enumeration by its translated label, a missing value by the translated reason
 * (the engine's English detail stays available as a tooltip). Units a user-defined profile names
 * that the catalogs do not know are shown as written (`dBm`, `l/min`).
 */
import type { ProfileReadingView } from '../../../../shared/api';
import { isMessageKey, type MessageKey } from '../../../../shared/i18n';
import type { I18n } from '../../lib/i18n/i18n-context';

type Formatting = Pick<I18n, 't' | 'fmt'>;

const BIT_RATE_STEPS: readonly (readonly [number, MessageKey])[] = [
  [1e12, 'unit.terabitsPerSecond'],
  [1e9, 'unit.gigabitsPerSecond'],
  [1e6, 'unit.megabitsPerSecond'],
  [1e3, 'unit.kilobitsPerSecond'],
];

const BYTE_STEPS: readonly (readonly [number, MessageKey])[] = [
  [2 ** 40, 'unit.tebibytes'],
  [2 ** 30, 'unit.gibibytes'],
  [2 ** 20, 'unit.mebibytes'],
  [2 ** 10, 'unit.kibibytes'],
];

function withUnit(i18n: Formatting, key: MessageKey, value: number, options: Intl.NumberFormatOptions) {
  return i18n.t(key, { value: i18n.fmt.number(value, options) });
}

function scaled(
  i18n: Formatting,
  value: number,
  steps: readonly (readonly [number, MessageKey])[],
  base: MessageKey,
): string {
  for (const [factor, key] of steps)
    if (Math.abs(value) >= factor)
      return withUnit(i18n, key, value / factor, { maximumSignificantDigits: 3 });
  return withUnit(i18n, base, value, { maximumFractionDigits: 0 });
}

/** A duration in seconds: seconds below 2 minutes, minutes below 2 hours, hours below 2 days, then days. */
export function formatSeconds(i18n: Formatting, seconds: number): string {
  const size = Math.abs(seconds);
  if (size < 120)
    return withUnit(i18n, 'unit.seconds', seconds, { maximumFractionDigits: size < 10 ? 1 : 0 });
  if (size < 120 * 60) return withUnit(i18n, 'unit.minutes', seconds / 60, { maximumFractionDigits: 0 });
  if (size < 48 * 3_600) return withUnit(i18n, 'unit.hours', seconds / 3_600, { maximumFractionDigits: 1 });
  return withUnit(i18n, 'unit.days', seconds / 86_400, { maximumFractionDigits: 1 });
}

/** A number in `unit` (a profile's unit name, or null for a plain number). */
export function formatNumber(i18n: Formatting, value: number, unit: string | null): string {
  const fraction = (digits: number) => ({ maximumFractionDigits: digits });
  switch (unit) {
    case null:
    case 'count':
      return i18n.fmt.number(value, fraction(2));
    case 'percent':
      return withUnit(i18n, 'unit.percent', value, fraction(Math.abs(value) >= 100 ? 0 : 1));
    case 'celsius':
      return withUnit(i18n, 'unit.celsius', value, fraction(1));
    case 'volt':
      return withUnit(i18n, 'unit.volt', value, fraction(1));
    case 'ampere':
      return withUnit(i18n, 'unit.ampere', value, fraction(1));
    case 'watt':
      return withUnit(i18n, 'unit.watt', value, fraction(0));
    case 'voltAmpere':
      return withUnit(i18n, 'unit.voltAmpere', value, fraction(0));
    case 'hertz':
      return withUnit(i18n, 'unit.hertz', value, fraction(1));
    case 'rpm':
      return withUnit(i18n, 'unit.rpm', value, fraction(0));
    case 'seconds':
      return formatSeconds(i18n, value);
    case 'minutes':
      return formatSeconds(i18n, value * 60);
    case 'milliseconds':
      return Math.abs(value) < 1_000
        ? withUnit(i18n, 'unit.milliseconds', value, fraction(Math.abs(value) < 10 ? 1 : 0))
        : formatSeconds(i18n, value / 1_000);
    case 'bitsPerSecond':
      return scaled(i18n, value, BIT_RATE_STEPS, 'unit.bitsPerSecond');
    case 'bytes':
      return scaled(i18n, value, BYTE_STEPS, 'unit.bytes');
    case 'errorsPerSecond':
      return withUnit(i18n, 'unit.errorsPerSecond', value, fraction(2));
    case 'packetsPerSecond':
      return withUnit(i18n, 'unit.packetsPerSecond', value, fraction(1));
    case 'perSecond':
      return withUnit(i18n, 'unit.perSecond', value, fraction(2));
    default:
      return i18n.t('equipment.value.withUnit', { value: i18n.fmt.number(value, fraction(2)), unit });
  }
}

/** An enumeration's label, translated when the catalogs know it (`equipment.enum.<metric>.<label>`). */
export function enumLabel(i18n: Formatting, metric: string, label: string): string {
  const key = `equipment.enum.${metric}.${label}`;
  return isMessageKey(key) ? i18n.t(key) : label;
}

/** A metric's name, translated when the catalogs know it (`equipment.metric.<name>`). */
export function metricName(i18n: Formatting, metric: string): string {
  const key = `equipment.metric.${metric}`;
  return isMessageKey(key) ? i18n.t(key) : metric;
}

/** Why a value is missing, translated by its code (an unknown code is named as such). */
export function reasonText(i18n: Formatting, reason: ProfileReadingView['reason']): string {
  if (reason === null) return i18n.t('equipment.reason.none');
  const key = `equipment.reason.${reason.code}`;
  return isMessageKey(key) ? i18n.t(key) : i18n.t('equipment.reason.other', { code: reason.code });
}

/** The reading's value as text; a missing value is said so (see reasonText for why). */
export function formatValue(i18n: Formatting, reading: ProfileReadingView): string {
  const { value } = reading;
  if (value === null) return i18n.t('value.missing');
  if (reading.label !== null) return enumLabel(i18n, reading.metric, reading.label);
  if (typeof value === 'string') return value;
  return formatNumber(i18n, value, reading.unit);
}
