/** Message catalogs (FR, NL, EN) and a tiny formatter. Every string a person reads goes through here. */
import { en, type Catalog, type MessageKey } from './en';
import { fr } from './fr';
import { nl } from './nl';

export type { Catalog, MessageKey };
export const LOCALES = ['fr', 'nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const catalogs: Record<Locale, Catalog> = { en, fr, nl };

/** Whether a string is a key of the catalogs (for keys that arrive as data, e.g. scenario descriptions). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
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
