import { useId } from 'react';
import type { MessageKey } from '../../../shared/i18n';
import { OverlayDialog } from '../components/overlay-dialog';
import { useI18n } from '../lib/i18n/i18n-context';

/** Keys are shown as keys (language-neutral); what they do is translated. */
const SHORTCUTS: readonly { readonly keys: readonly string[]; readonly action: MessageKey }[] = [
  { keys: ['←', '→', 'j', 'k'], action: 'shortcut.move' },
  { keys: ['↑', '↓'], action: 'shortcut.moveRows' },
  { keys: ['Home', 'End'], action: 'shortcut.firstLast' },
  { keys: ['Enter', 'Space'], action: 'shortcut.open' },
  { keys: ['Esc'], action: 'shortcut.close' },
  { keys: ['/'], action: 'shortcut.filter' },
  { keys: ['?'], action: 'shortcut.help' },
  { keys: ['Tab'], action: 'shortcut.tab' },
];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const titleId = useId();
  return (
    <OverlayDialog variant="centre" labelledBy={titleId} onClose={onClose} testId="help-overlay">
      <header className="detail__header">
        <h2 className="detail__title" id={titleId}>
          {t('help.title')}
        </h2>
        <button
          type="button"
          className="button button--icon"
          onClick={onClose}
          aria-label={t('help.close')}
          data-autofocus
        >
          <span aria-hidden="true">✕</span>
        </button>
      </header>
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">{t('help.keys')}</th>
            <th scope="col">{t('help.action')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.action}>
              <td>
                {shortcut.keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </td>
              <td>{t(shortcut.action)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </OverlayDialog>
  );
}
