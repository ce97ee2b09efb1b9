/**
 * The few words the shell itself shows (tray menu, title, tooltip), in the operator's language.
 * Every word comes from the shared FR/NL/EN catalogs.
 */
import { LOCALES, translate, type Locale } from '../../shared/i18n';
import type { AlarmSeverity } from '../../shared/domain/alarm';
import type { Status } from '../../shared/domain/status';

interface ShellWords {
  readonly showConsole: string;
  readonly quit: string;
  readonly training: string;
}

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
  return {
    showConsole: translate(locale, 'shell.showConsole'),
    quit: translate(locale, 'shell.quit'),
    training: translate(locale, 'training.title'),
  };
}

export function statusLabel(locale: Locale, status: Status): string {
  return translate(locale, `status.${status}`);
}

/** An alarm severity in the operator's language (the words of the e-mails, in capitals there). */
export function severityLabel(locale: Locale, severity: AlarmSeverity): string {
  const word = translate(locale, `notify.severity.${severity}`);
  return word.charAt(0) + word.slice(1).toLowerCase();
}
