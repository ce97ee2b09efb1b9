/**
 * The few words the shell itself shows (tray menu, title, tooltip), in the operator's language.
 * Status names come from the shared catalogs; the shell's own words live here until the shared
 * catalogs grow `shell.*` keys.
 */
import { LOCALES, translate, type Locale } from '../../shared/i18n';
import type { Status } from '../../shared/domain/status';

interface ShellWords {
  readonly showConsole: string;
  readonly quit: string;
  readonly training: string;
}

const WORDS: Readonly<Record<Locale, ShellWords>> = {
  en: { showConsole: 'Show console', quit: 'Quit Vigie', training: 'TRAINING' },
  fr: { showConsole: 'Afficher la console', quit: 'Quitter Vigie', training: 'FORMATION' },
  nl: { showConsole: 'Console tonen', quit: 'Vigie afsluiten', training: 'OEFENING' },
};

/** The first supported language among the system's preferred ones (`fr-BE` → fr), else English. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split(/[-_]/)[0];
    const found = LOCALES.find((l) => l === language);
    if (found) return found;
  }
  return 'en';
}

export function shellWords(locale: Locale): ShellWords {
  return WORDS[locale];
}

export function statusLabel(locale: Locale, status: Status): string {
  return translate(locale, `status.${status}`);
}
