/**
 * The chosen language at run time. Precedence: the operator's own choice on this workstation,
 * then the engine's configured locale (app.info), then the browser's languages, then English.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { translate, type Locale, type MessageKey } from '../../../../shared/i18n';
import { createFormatters, DEFAULT_TIME_ZONE, safeTimeZone, type Formatters } from './formatters';
import {
  browserPreferenceStorage,
  guessLocale,
  readStoredLocale,
  storeLocale,
  type PreferenceStorage,
} from './locale-preference';

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

export interface I18n {
  readonly locale: Locale;
  readonly timeZone: string;
  readonly t: Translate;
  readonly fmt: Formatters;
  readonly setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18n | null>(null);

function buildI18n(locale: Locale, timeZone: string, setLocale: (locale: Locale) => void): I18n {
  return {
    locale,
    timeZone,
    t: (key, params) => translate(locale, key, params),
    fmt: createFormatters(locale, timeZone),
    setLocale,
  };
}

function initialGuess(): Locale {
  return guessLocale(typeof navigator === 'undefined' ? [] : navigator.languages) ?? 'en';
}

export interface I18nProviderProps {
  /** The engine's locale (app.info), used until the operator picks one. */
  readonly defaultLocale?: Locale | null;
  /** The operator's time zone (app.info); Europe/Brussels when absent or unknown to Intl. */
  readonly timeZone?: string | null;
  readonly storage?: PreferenceStorage | null;
  readonly children: ReactNode;
}

export function I18nProvider({
  defaultLocale = null,
  timeZone = null,
  storage,
  children,
}: I18nProviderProps) {
  const [store] = useState(() => (storage === undefined ? browserPreferenceStorage() : storage));
  const [chosen, setChosen] = useState<Locale | null>(() => readStoredLocale(store));
  const [guessed] = useState(initialGuess);
  const locale = chosen ?? defaultLocale ?? guessed;
  const zone = useMemo(() => safeTimeZone(timeZone ?? DEFAULT_TIME_ZONE), [timeZone]);

  const value = useMemo(
    () =>
      buildI18n(locale, zone, (next) => {
        setChosen(next);
        storeLocale(store, next);
      }),
    [locale, zone, store],
  );

  // The page title is the console's (it shows the outstanding alarms: app/console-layout.tsx).
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

let fallback: I18n | null = null;

/**
 * The current language. Outside a provider (the last-resort error screen) it falls back to the
 * stored choice, so even that screen speaks the operator's language.
 */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value) return value;
  fallback ??= buildI18n(
    readStoredLocale(browserPreferenceStorage()) ?? initialGuess(),
    DEFAULT_TIME_ZONE,
    () => undefined,
  );
  return fallback;
}
