/** The operator's language choice, remembered on this workstation (localStorage). */
import { LOCALES, type Locale } from '../../../../shared/i18n';

export const LOCALE_STORAGE_KEY = 'vigie.locale';

export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The browser's localStorage, or null where policy disables it. */
export function browserPreferenceStorage(): PreferenceStorage | null {
  try {
    return window.localStorage;
  } catch (err: unknown) {
    if (err instanceof DOMException) return null;
    throw err;
  }
}

export function readStoredLocale(storage: PreferenceStorage | null): Locale | null {
  const stored = storage?.getItem(LOCALE_STORAGE_KEY) ?? null;
  return isLocale(stored) ? stored : null;
}

export function storeLocale(storage: PreferenceStorage | null, locale: Locale): void {
  try {
    storage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch (err: unknown) {
    // A full or locked storage only costs the memory of the choice, not the switch itself.
    if (!(err instanceof DOMException)) throw err;
    console.warn('[vigie] the language choice could not be saved', err);
  }
}

/** The first catalog language among the browser's preferences (`nl-BE` → `nl`), else null. */
export function guessLocale(languages: readonly string[]): Locale | null {
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return null;
}
