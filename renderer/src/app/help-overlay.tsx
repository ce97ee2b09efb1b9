import { Fragment, useId } from 'react';
import type { MessageKey } from '../../../shared/i18n';
import { OverlayDialog } from '../components/overlay-dialog';
import { useI18n } from '../lib/i18n/i18n-context';

/** Keys are shown as keys (language-neutral); what they do is translated. */
const SHORTCUTS: readonly {
  readonly keys: readonly string[];
  readonly action: MessageKey;
  /** The keys are pressed one after the other (`g` then `o`), not as alternatives. */
  readonly sequence?: boolean;
}[] = [
  { keys: ['←', '→', 'j', 'k'], action: 'shortcut.move' },
  { keys: ['↑', '↓'], action: 'shortcut.moveRows' },
  { keys: ['Home', 'End'], action: 'shortcut.firstLast' },
  { keys: ['Enter', 'Space'], action: 'shortcut.open' },
  { keys: ['Esc'], action: 'shortcut.close' },
  { keys: ['Esc'], action: 'shortcut.back' },
  { keys: ['/'], action: 'shortcut.filter' },
  { keys: ['?'], action: 'shortcut.help' },
  { keys: ['Shift+S'], action: 'shortcut.signIn' },
  { keys: ['Shift+L'], action: 'shortcut.lock' },
  { keys: ['Shift+A'], action: 'shortcut.account' },
  { keys: ['g', 'o'], action: 'shortcut.goOverview', sequence: true },
  { keys: ['g', 'a'], action: 'shortcut.goAlarms', sequence: true },
  { keys: ['g', 'q'], action: 'shortcut.goEquipment', sequence: true },
  { keys: ['g', 'e'], action: 'shortcut.goExplorer', sequence: true },
  { keys: ['g', 'd'], action: 'shortcut.goDashboards', sequence: true },
  { keys: ['g', 'w'], action: 'shortcut.goWall', sequence: true },
  { keys: ['g', 'p'], action: 'shortcut.goAccounts', sequence: true },
  { keys: ['g', 'k'], action: 'shortcut.goSecrets', sequence: true },
  { keys: ['j', 'k', '↓', '↑'], action: 'shortcut.alarmMove' },
  { keys: ['Enter'], action: 'shortcut.alarmOpen' },
  { keys: ['→', '←'], action: 'shortcut.alarmExpand' },
  { keys: ['/'], action: 'shortcut.alarmFilter' },
  { keys: ['a'], action: 'shortcut.alarmAcknowledge' },
  { keys: ['s'], action: 'shortcut.alarmSnooze' },
  { keys: ['e'], action: 'shortcut.alarmEscalate' },
  { keys: ['u'], action: 'shortcut.alarmUnacknowledge' },
  { keys: ['r'], action: 'shortcut.alarmResolve' },
  { keys: ['c'], action: 'shortcut.alarmClose' },
  { keys: ['h'], action: 'shortcut.alarmHandover' },
  { keys: ['m'], action: 'shortcut.alarmMaintenance' },
  { keys: ['n'], action: 'shortcut.maintenanceNew' },
  { keys: ['j', 'k', '↓', '↑'], action: 'shortcut.adminMove' },
  { keys: ['Enter'], action: 'shortcut.adminEdit' },
  { keys: ['n'], action: 'shortcut.adminNew' },
  { keys: ['/'], action: 'shortcut.adminFilter' },
  { keys: ['Space'], action: 'shortcut.wallPause' },
  { keys: ['←', '→'], action: 'shortcut.wallStep' },
  { keys: ['s'], action: 'shortcut.wallSettings' },
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
                {shortcut.keys.map((key, index) => (
                  <Fragment key={key}>
                    {shortcut.sequence && index > 0 && (
                      <span className="shortcuts__then">{t('help.then')} </span>
                    )}
                    <kbd>{key}</kbd>
                  </Fragment>
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
