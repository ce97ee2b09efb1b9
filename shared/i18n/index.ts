/** Message catalogs (FR, NL, EN) and a tiny formatter. Every string a person reads goes through here. */
import { alarmsEn, type AlarmsMessageKey } from './alarms-en';
import { alarmsFr } from './alarms-fr';
import { alarmsNl } from './alarms-nl';
import { en as baseEn, type MessageKey as BaseMessageKey } from './en';
import { fr } from './fr';
import { maintenanceEn, type MaintenanceMessageKey } from './maintenance-en';
import { maintenanceFr } from './maintenance-fr';
import { maintenanceNl } from './maintenance-nl';
import { nl } from './nl';
import { sessionEn, type SessionMessageKey } from './session-en';
import { sessionFr } from './session-fr';
import { sessionNl } from './session-nl';

/**
 * Every key: the base catalogs' (en.ts, with equipment-*.ts), the alarms view's (alarms-*.ts) and
 * the maintenance windows panel's (maintenance-*.ts) and sessions' (session-*.ts: roles, sign-in,
 * lock screen).
 */
export type MessageKey = BaseMessageKey | AlarmsMessageKey | MaintenanceMessageKey | SessionMessageKey;
export type Catalog = Record<MessageKey, string>;
export const LOCALES = ['fr', 'nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const catalogs: Record<Locale, Catalog> = {
  en: { ...baseEn, ...alarmsEn, ...maintenanceEn, ...sessionEn },
  fr: { ...fr, ...alarmsFr, ...maintenanceFr, ...sessionFr },
  nl: { ...nl, ...alarmsNl, ...maintenanceNl, ...sessionNl },
};

/** Whether a string is a key of the catalogs (for keys that arrive as data, e.g. scenario descriptions). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogs.en, key);
}

/** Translates `key` in `locale`, replacing `{name}` placeholders with `params`. */
export function translate(
  locale: Locale,
  key: MessageKey,
  params?: Readonly<Record<string, string | number>>,
): string {
  const text = catalogs[locale][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
