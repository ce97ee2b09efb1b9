/** The console's views as tabs of a navigation bar; `g o` / `g a` / `g e` ... from the keyboard. */
import { useI18n } from '../lib/i18n/i18n-context';
import { CONSOLE_VIEWS, useViewAllowed, VIEW_KEYS, type ConsoleView } from './console-view';

export function ViewSwitch({ view, onView }: { view: ConsoleView; onView: (view: ConsoleView) => void }) {
  const { t } = useI18n();
  const allowed = useViewAllowed();
  return (
    <nav className="view-switch" aria-label={t('nav.label')}>
      {CONSOLE_VIEWS.filter(allowed).map((candidate) => (
        <button
          key={candidate}
          type="button"
          className="view-switch__option"
          aria-current={candidate === view ? 'page' : undefined}
          aria-keyshortcuts={`g ${VIEW_KEYS[candidate]}`}
          onClick={() => onView(candidate)}
          data-testid={`view-${candidate}`}
        >
          {t(`nav.${candidate}`)}
        </button>
      ))}
    </nav>
  );
}
