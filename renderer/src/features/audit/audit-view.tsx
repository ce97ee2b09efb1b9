/**
 * The audit trail (issue 6): who did what, when, newest first, with filters (period, who, action,
 * text), paging by seq, a "Verify chain" button that shows the engine's verdict, and exports.
 * Shown only to people holding `audit.read` (the engine refuses the channels to anyone else);
 * each read is recorded by the engine.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { AuditFilter, AuditRecord, AuditVerdict } from '../../../../shared/api/audit';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { useApi } from '../../lib/api/api-context';
import { call } from '../../lib/api/bridge-error';
import { downloadText } from '../../lib/download';
import { useI18n } from '../../lib/i18n/i18n-context';
import { parseZonedInput } from '../../lib/i18n/zoned-time';
import './audit.css';

const PAGE_SIZE = 100;

interface Draft {
  from: string;
  to: string;
  actor: string;
  action: string;
  text: string;
}
const EMPTY: Draft = { from: '', to: '', actor: '', action: '', text: '' };

function toFilter(draft: Draft, timeZone: string): AuditFilter {
  const from = parseZonedInput(draft.from, timeZone);
  const to = parseZonedInput(draft.to, timeZone);
  return {
    ...(from === null ? {} : { from }),
    ...(to === null ? {} : { to }),
    ...(draft.actor.trim() ? { actor: draft.actor.trim() } : {}),
    ...(draft.action.trim() ? { action: draft.action.trim() } : {}),
    ...(draft.text.trim() ? { text: draft.text.trim() } : {}),
  };
}

function detailsText(details: AuditRecord['details']): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}=${v === null ? '∅' : String(v)}`)
    .join(' · ');
}

function Verdict({ verdict }: { verdict: AuditVerdict }) {
  const { t } = useI18n();
  if (verdict.ok)
    return (
      <p
        className="audit__verdict audit__verdict--ok"
        role="status"
        data-testid="audit-verdict"
        data-ok="true"
      >
        <span aria-hidden="true">✔ </span>
        {t('audit.verify.ok', { entries: verdict.entries, anchor: verdict.lastAnchorSeq ?? '–' })}
      </p>
    );
  return (
    <div
      className="audit__verdict audit__verdict--broken"
      role="alert"
      data-testid="audit-verdict"
      data-ok="false"
    >
      <p>
        <span aria-hidden="true">✖ </span>
        <strong>{t(`audit.verify.kind.${verdict.problem.kind}`, { seq: verdict.problem.seq })}</strong>
      </p>
      <p className="audit__verdict-detail">
        {t('audit.verify.broken', { message: verdict.problem.message })}
      </p>
    </div>
  );
}

export function AuditView() {
  const { t, fmt, timeZone } = useI18n();
  const { transport } = useApi();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>({});
  /** The `beforeSeq` of each page shown so far: the last is the current page (undefined: newest). */
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const beforeSeq = pages.at(-1);

  const page = useQuery({
    queryKey: ['audit.query', filter, beforeSeq],
    queryFn: () =>
      call(transport.bridge, 'audit.query', {
        ...filter,
        limit: PAGE_SIZE,
        ...(beforeSeq === undefined ? {} : { beforeSeq }),
      }),
  });
  const verify = useMutation({ mutationFn: () => call(transport.bridge, 'audit.verify', {}) });
  const exporting = useMutation({
    mutationFn: (format: 'jsonl' | 'csv') => call(transport.bridge, 'audit.export', { ...filter, format }),
    onSuccess: (file) =>
      downloadText(
        file.fileName,
        file.text,
        file.fileName.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson',
      ),
  });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(toFilter(draft, timeZone));
    setPages([undefined]);
  };
  const clear = () => {
    setDraft(EMPTY);
    setFilter({});
    setPages([undefined]);
  };
  const field = (key: keyof Draft, type: 'text' | 'datetime-local' = 'text') => (
    <label className="audit__field">
      <span>{t(`audit.filter.${key}`)}</span>
      <input
        type={type}
        value={draft[key]}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        data-testid={`audit-filter-${key}`}
      />
    </label>
  );

  const entries = page.data?.entries ?? [];
  return (
    <section className="audit" aria-labelledby="audit-title" data-testid="audit-view">
      <header className="audit__header">
        <h2 id="audit-title">{t('audit.title')}</h2>
        <p className="audit__intro">{t('audit.intro')}</p>
      </header>
      <form className="audit__filters" onSubmit={apply}>
        {field('from', 'datetime-local')}
        {field('to', 'datetime-local')}
        {field('actor')}
        {field('action')}
        {field('text')}
        <button type="submit" className="button">
          {t('audit.filter.apply')}
        </button>
        <button type="button" className="button" onClick={clear}>
          {t('audit.filter.clear')}
        </button>
      </form>
      <div className="audit__tools">
        <button
          type="button"
          className="button"
          onClick={() => verify.mutate()}
          disabled={verify.isPending}
          data-testid="audit-verify"
        >
          {verify.isPending ? t('audit.verifying') : t('audit.verify')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => exporting.mutate('jsonl')}
          disabled={exporting.isPending}
          data-testid="audit-export-jsonl"
        >
          {t('audit.export.jsonl')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => exporting.mutate('csv')}
          disabled={exporting.isPending}
          data-testid="audit-export-csv"
        >
          {t('audit.export.csv')}
        </button>
      </div>
      {verify.data && <Verdict verdict={verify.data} />}
      {verify.isError && <ApiErrorNotice error={verify.error} title={t('audit.verify.failed')} />}
      {exporting.isError && <ApiErrorNotice error={exporting.error} title={t('audit.export.failed')} />}
      {exporting.data?.truncated && (
        <p role="status">{t('audit.export.truncated', { count: exporting.data.entries })}</p>
      )}
      {page.isError && <ApiErrorNotice error={page.error} title={t('audit.failed')} testId="audit-error" />}
      {page.isPending && <p role="status">{t('audit.loading')}</p>}
      {page.isSuccess && entries.length === 0 && <p data-testid="audit-empty">{t('audit.empty')}</p>}
      {entries.length > 0 && (
        <table className="audit__table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.column.seq')}</th>
              <th scope="col">{t('audit.column.at')}</th>
              <th scope="col">{t('audit.column.actor')}</th>
              <th scope="col">{t('audit.column.role')}</th>
              <th scope="col">{t('audit.column.action')}</th>
              <th scope="col">{t('audit.column.target')}</th>
              <th scope="col">{t('audit.column.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq} data-seq={e.seq} title={e.hash}>
                <td className="audit__seq">{e.seq}</td>
                <td>
                  <time dateTime={new Date(e.at).toISOString()}>{fmt.dateTime(e.at)}</time>
                </td>
                <td>{e.actor}</td>
                <td>{e.role}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.target}</td>
                <td className="audit__details">{detailsText(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="audit__paging" aria-label={t('audit.title')}>
        <button
          type="button"
          className="button"
          disabled={pages.length <= 1}
          onClick={() => setPages(pages.slice(0, -1))}
          data-testid="audit-newer"
        >
          {t('audit.newer')}
        </button>
        {entries.length > 0 && (
          <span>{t('audit.page', { first: entries[0]?.seq ?? 0, last: entries.at(-1)?.seq ?? 0 })}</span>
        )}
        <button
          type="button"
          className="button"
          disabled={!page.data?.nextBeforeSeq}
          onClick={() => {
            const next = page.data?.nextBeforeSeq;
            if (next) setPages([...pages, next]);
          }}
          data-testid="audit-older"
        >
          {t('audit.older')}
        </button>
      </nav>
    </section>
  );
}
