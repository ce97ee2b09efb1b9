/**
 * "Copy query" and "Export CSV", both plain buttons (keyboard: Tab, Enter or Space). The
 * clipboard can be refused (no secure context, or a shell that grants no permission): the query
 * then appears in a read-only field, already selected, for Ctrl+C.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../../lib/i18n/i18n-context';

export interface QueryActionsProps {
  /** The queries the store ran for the chart, one per series; empty before any answer. */
  readonly queryText: string;
  readonly canExport: boolean;
  readonly onExport: () => void;
}

type CopyOutcome = { readonly kind: 'copied' | 'failed'; readonly text: string } | null;

async function writeClipboard(text: string): Promise<void> {
  if (!('clipboard' in navigator) || typeof navigator.clipboard.writeText !== 'function')
    throw new Error('the Clipboard API is not available here');
  await navigator.clipboard.writeText(text);
}

export function QueryActions({ queryText, canExport, onExport }: QueryActionsProps) {
  const { t } = useI18n();
  const fallbackId = useId();
  const fallbackRef = useRef<HTMLTextAreaElement>(null);
  const [outcome, setOutcome] = useState<CopyOutcome>(null);
  const failed = outcome?.kind === 'failed';

  useEffect(() => {
    if (!failed) return;
    fallbackRef.current?.focus();
    fallbackRef.current?.select();
  }, [failed, outcome]);

  async function onCopy(): Promise<void> {
    try {
      await writeClipboard(queryText);
      setOutcome({ kind: 'copied', text: queryText });
    } catch (err: unknown) {
      console.warn('[vigie] the clipboard refused the query; showing it for a manual copy', err);
      setOutcome({ kind: 'failed', text: queryText });
    }
  }

  return (
    <div className="explorer-actions" data-testid="explorer-actions">
      <div className="explorer-actions__buttons">
        <button
          type="button"
          className="button button--small"
          disabled={queryText === ''}
          onClick={() => void onCopy()}
          data-testid="copy-query"
        >
          {t('explorer.copyQuery')}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={!canExport}
          onClick={onExport}
          data-testid="export-csv"
        >
          {t('explorer.exportCsv')}
        </button>
        <span className="explorer-muted" role="status" data-testid="copy-status">
          {outcome?.kind === 'copied' && outcome.text === queryText ? t('explorer.copied') : ''}
        </span>
      </div>
      {failed && (
        <div className="explorer-actions__fallback">
          <label htmlFor={fallbackId}>{t('explorer.copyFallback')}</label>
          <textarea
            ref={fallbackRef}
            id={fallbackId}
            className="explorer-input explorer-actions__text"
            readOnly
            rows={Math.min(6, queryText.split('\n').length + 1)}
            value={queryText}
            data-testid="query-text"
          />
        </div>
      )}
    </div>
  );
}
