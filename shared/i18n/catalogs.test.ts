import { describe, expect, it } from 'vitest';
import { conditionSchema } from '../api/overview';
import { TRAP_KINDS } from '../domain/trap-event';
import { CAPABILITIES, ROLES } from '../api/access';
import { alarmsEn } from './alarms-en';
import { en } from './en';
import { catalogs, isMessageKey, LOCALES, translate } from './index';
import { sessionEn } from './session-en';

describe('catalogs', () => {
  it('have the same keys and the same placeholders in every language', () => {
    const reference = catalogs.en;
    for (const locale of LOCALES) {
      const catalog = catalogs[locale];
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(reference).sort());
      for (const [key, text] of Object.entries(reference)) {
        const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
        expect(placeholders(catalog[key as keyof typeof reference]), `${locale} ${key}`).toEqual(
          placeholders(text),
        );
      }
    }
  });
  it('have no empty text', () => {
    for (const locale of LOCALES)
      for (const text of Object.values(catalogs[locale])) expect(text.trim()).not.toBe('');
  });
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'status.up')).toBe('Up');
    expect(translate('fr', 'status.unknown')).toBe('Pas de données');
  });
  it('merge the alarms catalog without overwriting a key of the base catalogs', () => {
    const clashes = Object.keys(alarmsEn).filter((key) => Object.hasOwn(en, key));
    expect(clashes).toEqual([]);
  });
  it('merge the session catalog without overwriting a key of the base or alarms catalogs', () => {
    const clashes = Object.keys(sessionEn).filter(
      (key) => Object.hasOwn(en, key) || Object.hasOwn(alarmsEn, key),
    );
    expect(clashes).toEqual([]);
  });
  it('name every role and every capability (the console shows them, and why an action is refused)', () => {
    const missing = [...ROLES.map((r) => `role.${r}`), ...CAPABILITIES.map((c) => `capability.${c}`)].filter(
      (key) => !isMessageKey(key),
    );
    expect(missing).toEqual([]);
  });
  it('have a text for every alarm cause code the engine raises', () => {
    const codes = [
      ...conditionSchema.options,
      'threshold',
      ...TRAP_KINDS.map((kind) => `trap.${kind}`),
      'reboot',
      'profileCondition',
      'hostKeyChanged',
      'metricSourceUnreachable',
      'zonePowerFailure',
      'zoneNetworkFault',
      'zoneIncident',
    ];
    expect(codes.filter((code) => !isMessageKey(`alarm.cause.${code}`))).toEqual([]);
  });
});
