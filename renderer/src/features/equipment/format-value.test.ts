import { describe, expect, it } from 'vitest';
import { translate, type Locale } from '../../../../shared/i18n';
import { createFormatters } from '../../lib/i18n/formatters';
import { reading } from '../../lib/testing/equipment-fixtures';
import { formatNumber, formatValue, reasonText } from './format-value';

function i18n(locale: Locale = 'en') {
  return {
    t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
      translate(locale, key, params),
    fmt: createFormatters(locale, 'Europe/Brussels'),
  };
}
const plain = (text: string) => text.replace(/\u00a0|\u202f/g, ' ');

describe('formatNumber', () => {
  it('formats the units of the MIB profiles', () => {
    const en = i18n();
    expect(
      [
        formatNumber(en, 481_994_724.75, 'bitsPerSecond'),
        formatNumber(en, 25e9, 'bitsPerSecond'),
        formatNumber(en, 12, 'bitsPerSecond'),
        formatNumber(en, 3523, 'watt'),
        formatNumber(en, 50.1, 'hertz'),
        formatNumber(en, 242.9, 'volt'),
        formatNumber(en, 15.3, 'ampere'),
        formatNumber(en, 39, 'percent'),
        formatNumber(en, 25, 'celsius'),
        formatNumber(en, 8, 'minutes'),
        formatNumber(en, 93_784, 'seconds'),
        formatNumber(en, 0.25, 'errorsPerSecond'),
        formatNumber(en, 3 * 2 ** 30, 'bytes'),
        formatNumber(en, 8, 'count'),
        formatNumber(en, 4200, 'rpm'),
        formatNumber(en, -3.5, 'dBm'),
      ].map(plain),
    ).toEqual([
      '482 Mbit/s',
      '25 Gbit/s',
      '12 bit/s',
      '3,523 W',
      '50.1 Hz',
      '242.9 V',
      '15.3 A',
      '39%',
      '25 °C',
      '8 min',
      '26.1 h',
      '0.25 errors/s',
      '3 GiB',
      '8',
      '4,200 rpm',
      '-3.5 dBm',
    ]);
  });

  it('uses the separators and units of the chosen language', () => {
    expect(plain(formatNumber(i18n('fr'), 3523.5, 'watt'))).toBe('3 524 W');
    expect(plain(formatNumber(i18n('nl'), 0.5, 'errorsPerSecond'))).toBe('0,5 fouten/s');
  });
});

describe('formatValue', () => {
  it('shows an enumeration by its translated label, text as sent, a missing value as such', () => {
    const en = i18n();
    expect(formatValue(en, reading({ metric: 'outputSource', value: 5, label: 'battery' }))).toBe('Battery');
    expect(formatValue(i18n('fr'), reading({ metric: 'outputSource', value: 5, label: 'battery' }))).toBe(
      'Batterie',
    );
    expect(formatValue(en, reading({ metric: 'adminStatus', value: 2, label: 'down' }))).toBe('Disabled');
    // A label no catalog knows (a user-defined profile) is shown as the profile names it.
    expect(formatValue(en, reading({ metric: 'doorState', value: 3, label: 'ajar' }))).toBe('ajar');
    expect(formatValue(en, reading({ metric: 'sysName', value: 'a-core-sw' }))).toBe('a-core-sw');
    expect(formatValue(en, reading({ metric: 'batteryCurrent', value: null }))).toBe('no value');
  });
});

describe('reasonText', () => {
  it('translates why a value is missing by its code, and names a code it does not know', () => {
    expect(
      reasonText(i18n(), { code: 'noSuchObject', detail: 'noSuchObject at 1.3.6.1.2.1.33.1.2.6.0' }),
    ).toBe('not supported by the agent');
    expect(reasonText(i18n('nl'), { code: 'firstSample', detail: 'a rate needs two samples' })).toBe(
      'debiet na de volgende bevraging',
    );
    expect(reasonText(i18n(), { code: 'brandNew', detail: '' })).toBe('no value (brandNew)');
  });
});
