import type { Locale } from '../../../shared/i18n';
import { useI18n } from '../lib/i18n/i18n-context';

/** The order operators expect on a Belgian console. */
const ORDER: readonly Locale[] = ['fr', 'nl', 'en'];

export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {ORDER.map((option) => (
        <button
          key={option}
          type="button"
          className="language-switch__option"
          lang={option}
          aria-pressed={option === locale}
          aria-label={t('language.button', {
            name: t(`language.name.${option}`),
            code: option.toUpperCase(),
          })}
          onClick={() => setLocale(option)}
        >
          {option.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
