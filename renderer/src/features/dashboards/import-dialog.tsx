/**
 * Import a dashboard: a JSON file or pasted text, checked by the engine (`dashboards.import`,
 * which also migrates older versions). Problems are listed with where they are in the document;
 * a valid one is previewed, then saved as a new dashboard (its id made free if already taken).
 */
import { useId, useState, type ChangeEvent } from 'react';
import type { Dashboard } from '../../../../shared/domain/dashboard';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { OverlayDialog } from '../../components/overlay-dialog';
import { useImportDashboard } from '../../lib/api/dashboard-queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import { timeLabel } from './dashboard-time';

function readFile(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsText(file);
  });
}

export interface ImportDialogProps {
  /** Null when this seat may not save (the reason is shown instead of the button). */
  readonly onSaveAsNew: ((dashboard: Dashboard) => void) | null;
  readonly readOnlyReason: string;
  readonly saving: boolean;
  readonly saveError: unknown;
  readonly onClose: () => void;
}

export function ImportDialog({ onSaveAsNew, readOnlyReason, saving, saveError, onClose }: ImportDialogProps) {
  const { t, fmt } = useI18n();
  const id = useId();
  const [json, setJson] = useState('');
  const [fileError, setFileError] = useState(false);
  const check = useImportDashboard();
  const result = check.data;

  async function onFile(event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      setJson(await readFile(file));
      setFileError(false);
      check.reset();
    } catch (err: unknown) {
      console.warn('[vigie] the dashboard file could not be read', err);
      setFileError(true);
    }
  }

  return (
    <OverlayDialog variant="centre" labelledBy={`${id}-title`} onClose={onClose} testId="import-dialog">
      <div className="dashboard-form">
        <h2 className="detail__title" id={`${id}-title`}>
          {t('dashboards.import.title')}
        </h2>
        <label className="dashboard-form__field">
          <span>{t('dashboards.import.file')}</span>
          <input
            type="file"
            accept=".json,application/json"
            onChange={(event) => void onFile(event)}
            data-testid="import-file"
          />
        </label>
        {fileError && <p role="alert">{t('dashboards.import.fileFailed')}</p>}
        <label className="dashboard-form__field">
          <span>{t('dashboards.import.paste')}</span>
          <textarea
            className="explorer-input dashboard-form__json"
            rows={8}
            value={json}
            onChange={(event) => {
              setJson(event.target.value);
              check.reset();
            }}
            data-testid="import-json"
          />
        </label>
        <div className="dashboard-form__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button
            type="button"
            className="button"
            disabled={json.trim() === '' || check.isPending}
            onClick={() => check.mutate(json)}
            data-testid="import-check"
          >
            {t('dashboards.import.check')}
          </button>
        </div>
        {check.isError && <ApiErrorNotice error={check.error} title={t('dashboards.import.failed')} />}
        {result && !result.ok && (
          <div className="explorer-notice explorer-notice--error" role="alert" data-testid="import-issues">
            <p className="explorer-notice__title">
              <strong>{t('dashboards.import.invalid', { count: fmt.number(result.issues.length) })}</strong>
            </p>
            <ul className="explorer-notice__issues">
              {result.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`} data-testid="import-issue">
                  <code>{issue.path}</code> {issue.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {result?.ok && (
          <div className="explorer-notice" data-testid="import-preview">
            <p className="explorer-notice__title">
              <strong>{result.dashboard.title}</strong>
            </p>
            <p>
              {t('dashboards.import.summary', {
                panels: fmt.number(result.dashboard.panels.length),
                range: timeLabel(t, fmt, result.dashboard.time),
                seconds: fmt.number(result.dashboard.refreshSeconds),
              })}
            </p>
            {result.migratedFrom !== null && (
              <p>{t('dashboards.import.migrated', { version: result.migratedFrom })}</p>
            )}
            <ul>
              {result.dashboard.panels.map((panel) => (
                <li key={panel.id}>{panel.title}</li>
              ))}
            </ul>
            {saveError !== null && <ApiErrorNotice error={saveError} title={t('dashboards.saveFailed')} />}
            <button
              type="button"
              className="button"
              disabled={onSaveAsNew === null || saving}
              aria-describedby={onSaveAsNew === null ? `${id}-reason` : undefined}
              title={onSaveAsNew === null ? readOnlyReason : undefined}
              onClick={() => onSaveAsNew?.(result.dashboard)}
              data-testid="import-save"
            >
              {t('dashboards.import.saveAsNew')}
            </button>
            {onSaveAsNew === null && (
              <p className="explorer-muted" id={`${id}-reason`}>
                {readOnlyReason}
              </p>
            )}
          </div>
        )}
      </div>
    </OverlayDialog>
  );
}
