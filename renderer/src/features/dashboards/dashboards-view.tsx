/**
 * The dashboards view: the list (Vigie's own, read-only, and those people saved), and the open
 * dashboard's panels on the 12-column grid, live over its preset or fixed over its absolute period
 * (an incident review). Anyone may look at another period for now; operators may keep it as the
 * dashboard's own. Operators create, add and remove panels, rename, save (with the revision they started from: someone else's newer save is
 * a CONFLICT, explained, with a reload), delete, export and import; viewers see every action
 * disabled with the reason.
 */
import { useId, useState, type FormEvent } from 'react';
import type { DashboardSummary } from '../../../../shared/api';
import {
  rangePresetSchema,
  resolveDashboardTime,
  sameDashboardTime,
  type Dashboard,
  type DashboardTime,
  type PanelSeries,
} from '../../../../shared/domain/dashboard';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { PanelBoundary } from '../../components/error-boundary';
import { OverlayDialog } from '../../components/overlay-dialog';
import { errorCodeOf } from '../../lib/api/bridge-error';
import {
  useDashboard,
  useDashboards,
  useDeleteDashboard,
  useExportDashboard,
  useSaveDashboard,
} from '../../lib/api/dashboard-queries';
import { useClock } from '../../lib/clock/clock-context';
import { downloadText } from '../../lib/download';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useAccess } from '../../lib/session/access';
import { DashboardGrid } from './dashboard-board';
import {
  addPanel,
  freeId,
  newDashboard,
  removePanel,
  renameDashboard,
  setDashboardTime,
} from './dashboard-draft';
import { DashboardList } from './dashboard-list';
import { PeriodForm, PeriodMode } from './dashboard-time';
import { ImportDialog } from './import-dialog';
import { PanelForm } from './panel-form';
import './dashboards.css';

const PRESETS = rangePresetSchema.options;

interface Draft {
  readonly dashboard: Dashboard;
  /** The revision the edit started from; undefined for a dashboard never saved. */
  readonly baseRevision: number | undefined;
}

type Dialog = 'create' | 'rename' | 'addPanel' | 'import' | 'delete' | null;

function TitleDialog({
  heading,
  initial,
  confirm,
  onSubmit,
  onClose,
}: {
  heading: string;
  initial: string;
  confirm: string;
  onSubmit: (title: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [title, setTitle] = useState(initial);
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (title.trim() !== '') onSubmit(title);
  }
  return (
    <OverlayDialog variant="centre" labelledBy={`${id}-title`} onClose={onClose} testId="title-dialog">
      <form className="dashboard-form" onSubmit={submit}>
        <h2 className="detail__title" id={`${id}-title`}>
          {heading}
        </h2>
        <label className="dashboard-form__field">
          <span>{t('dashboards.dashboardTitle')}</span>
          <input
            className="explorer-input"
            value={title}
            required
            maxLength={200}
            onChange={(event) => setTitle(event.target.value)}
            data-autofocus
            data-testid="dashboard-title-input"
          />
        </label>
        <div className="dashboard-form__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="button" data-testid="dashboard-title-ok">
            {confirm}
          </button>
        </div>
      </form>
    </OverlayDialog>
  );
}

function DeleteDialog({
  title,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <OverlayDialog variant="centre" labelledBy={`${id}-title`} onClose={onClose} testId="delete-dialog">
      <h2 className="detail__title" id={`${id}-title`}>
        {t('dashboards.delete.title', { title })}
      </h2>
      <p>{t('dashboards.delete.detail')}</p>
      {error !== null && <ApiErrorNotice error={error} title={t('dashboards.delete.failed')} />}
      <div className="dashboard-form__actions">
        <button type="button" className="button" onClick={onClose} data-autofocus>
          {t('action.cancel')}
        </button>
        <button
          type="button"
          className="button button--danger"
          disabled={pending}
          onClick={onConfirm}
          data-testid="delete-confirm"
        >
          {t('dashboards.delete.confirm')}
        </button>
      </div>
    </OverlayDialog>
  );
}

/** A button that may be disabled for a reason, said in words next to it and to assistive tech. */
function ActionButton({
  label,
  reason,
  reasonId,
  onClick,
  testId,
  disabled = false,
}: {
  label: string;
  reason: string | null;
  reasonId: string;
  onClick: () => void;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className="button button--small"
      disabled={reason !== null || disabled}
      aria-describedby={reason !== null ? reasonId : undefined}
      title={reason ?? undefined}
      onClick={onClick}
      data-testid={testId}
    >
      {label}
    </button>
  );
}

/** A request from elsewhere in the console to show a dashboard (a tile's "Open its dashboard"). */
export interface DashboardRequest {
  readonly id: string;
  /** Tells two requests for the same dashboard apart. */
  readonly serial: number;
}

export interface DashboardsViewProps {
  /** The complete series drawn in the explorer, offered for a new panel. */
  readonly explorerSeries?: readonly PanelSeries[];
  /** Opens a panel's series in the metric explorer, over the time the dashboard shows. */
  readonly onOpenInExplorer?: (series: readonly PanelSeries[], time: DashboardTime) => void;
  /** The dashboard to open, when the console asks for one. */
  readonly request?: DashboardRequest | null;
}

export function DashboardsView({
  explorerSeries = [],
  onOpenInExplorer,
  request = null,
}: DashboardsViewProps) {
  const { t } = useI18n();
  const clock = useClock();
  const headingId = useId();
  const reasonId = useId();
  // Saving, deleting and importing need dashboards.write (the contract's access for those channels).
  const writeAccess = useAccess('dashboards.write');
  const canWrite = writeAccess.allowed;
  const list = useDashboards();
  const summaries = list.data?.dashboards ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(request?.id ?? null);
  const [handled, setHandled] = useState<DashboardRequest | null>(request);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [rangeOverride, setRangeOverride] = useState<DashboardTime | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const isNew = draft !== null && draft.baseRevision === undefined;
  const entry = useDashboard(isNew ? null : selectedId);
  const save = useSaveDashboard();
  const remove = useDeleteDashboard();
  const exporter = useExportDashboard();

  const summary: DashboardSummary | undefined =
    entry.data?.summary ?? summaries.find((s) => s.id === selectedId);
  const shown = draft?.dashboard ?? entry.data?.dashboard ?? null;
  const origin = isNew ? 'user' : summary?.origin;
  const readOnlyReason = !canWrite
    ? writeAccess.reason
    : origin === 'auto'
      ? t('dashboards.readOnly.auto')
      : null;
  const createReason = canWrite ? null : writeAccess.reason;
  const conflict = save.isError && errorCodeOf(save.error) === 'CONFLICT';
  const taken = new Set(summaries.map((s) => s.id));

  function open(id: string): void {
    setSelectedId(id);
    setDraft(null);
    setRangeOverride(null);
    save.reset();
  }
  // A new request from the console opens its dashboard (adjusted while rendering, as React derives state).
  if (request !== null && request !== handled) {
    setHandled(request);
    setSelectedId(request.id);
    setDraft(null);
    setRangeOverride(null);
  }

  function edit(change: (dashboard: Dashboard) => Dashboard): void {
    if (!shown) return;
    setDraft({
      dashboard: change(shown),
      baseRevision: draft ? draft.baseRevision : entry.data?.summary.revision,
    });
  }

  function onSave(): void {
    if (!draft) return;
    save.mutate(
      draft.baseRevision === undefined
        ? { dashboard: draft.dashboard }
        : { dashboard: draft.dashboard, baseRevision: draft.baseRevision },
      {
        onSuccess: (saved) => {
          setDraft(null);
          setSelectedId(saved.summary.id);
        },
      },
    );
  }

  function onReload(): void {
    setDraft(null);
    save.reset();
    void entry.refetch();
  }

  function onExport(id: string): void {
    exporter.mutate(id, {
      onSuccess: ({ fileName, json }) => downloadText(fileName, json, 'application/json'),
    });
  }

  function onSaveImported(dashboard: Dashboard): void {
    save.mutate(
      { dashboard: { ...dashboard, id: freeId(dashboard.id, taken) } },
      {
        onSuccess: (saved) => {
          setDialog(null);
          setDraft(null);
          setSelectedId(saved.summary.id);
          setRangeOverride(null);
        },
      },
    );
  }

  const time: DashboardTime = rangeOverride ?? shown?.time ?? { kind: 'relative', preset: '6h' };
  /** Shows `next` for now; the dashboard's own time again when they are the same. */
  function showTime(next: DashboardTime): void {
    setRangeOverride(shown && sameDashboardTime(next, shown.time) ? null : next);
  }
  // The fixed-period form starts from what is shown (a preset: its period ending now).
  const shownPeriod = resolveDashboardTime(time, clock.now());

  return (
    <section className="dashboards" aria-labelledby={headingId} data-testid="dashboards">
      <h1 className="explorer__title" id={headingId} tabIndex={-1}>
        {t('dashboards.title')}
      </h1>
      <div className="dashboards__layout">
        <nav className="explorer-box dashboards__list" aria-label={t('dashboards.listLabel')}>
          <div className="dashboards__list-actions">
            <ActionButton
              label={t('dashboards.new')}
              reason={createReason}
              reasonId={reasonId}
              onClick={() => setDialog('create')}
              testId="dashboard-new"
            />
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                save.reset();
                setDialog('import');
              }}
              data-testid="dashboard-import"
            >
              {t('dashboards.import.open')}
            </button>
          </div>
          {list.isError && <ApiErrorNotice error={list.error} title={t('dashboards.listFailed')} />}
          {list.isPending && !list.isError && <p className="explorer-muted">{t('explorer.loading')}</p>}
          {list.data && <DashboardList dashboards={summaries} selectedId={selectedId} onOpen={open} />}
        </nav>
        <div className="dashboards__main">
          {createReason !== null && (
            <p className="dashboards__reason" id={reasonId} data-testid="read-only-reason">
              {createReason}
            </p>
          )}
          {!shown && selectedId === null && <p className="panel-message">{t('dashboards.choose')}</p>}
          {!shown && selectedId !== null && entry.isError && (
            <ApiErrorNotice error={entry.error} title={t('dashboards.loadFailed')} />
          )}
          {!shown && selectedId !== null && entry.isPending && (
            <p className="panel-message">{t('explorer.loading')}</p>
          )}
          {shown && (
            <PanelBoundary>
              <article className="dashboard" data-testid="dashboard" data-id={shown.id}>
                <header className="dashboard__header">
                  <h2 className="dashboard__title" data-testid="dashboard-title">
                    {shown.title}
                  </h2>
                  {origin === 'auto' && (
                    <span className="dashboard-origin dashboard-origin--auto">
                      {t('dashboards.origin.auto')}
                    </span>
                  )}
                  {draft && (
                    <span className="dashboard__unsaved" role="status" data-testid="dashboard-unsaved">
                      {t('dashboards.unsaved')}
                    </span>
                  )}
                </header>
                <div className="dashboard__toolbar">
                  <div
                    className="explorer-range__presets"
                    role="group"
                    aria-label={t('explorer.range.presets')}
                  >
                    {PRESETS.map((preset) => (
                      <button
                        key={preset}
                        type="button"
                        className="button button--small"
                        aria-pressed={time.kind === 'relative' && time.preset === preset}
                        onClick={() => showTime({ kind: 'relative', preset })}
                        data-testid={`dashboard-preset-${preset}`}
                      >
                        {t(`explorer.range.preset.${preset}`)}
                      </button>
                    ))}
                    <button
                      type="button"
                      className="button button--small"
                      disabled={rangeOverride === null}
                      onClick={() => setRangeOverride(null)}
                      data-testid="dashboard-range-reset"
                    >
                      {t('dashboards.rangeReset')}
                    </button>
                  </div>
                  <PeriodForm
                    key={JSON.stringify(time)}
                    from={shownPeriod.from}
                    to={shownPeriod.to}
                    onApply={showTime}
                  />
                  <PeriodMode time={time} refreshSeconds={shown.refreshSeconds} />
                  {rangeOverride !== null && readOnlyReason === null && (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => {
                        edit((d) => setDashboardTime(d, rangeOverride));
                        setRangeOverride(null);
                      }}
                      data-testid="dashboard-keep-period"
                    >
                      {t('dashboards.period.keep')}
                    </button>
                  )}
                  <div className="dashboard__actions" role="group" aria-label={t('dashboards.actions')}>
                    <ActionButton
                      label={t('dashboards.addPanel')}
                      reason={readOnlyReason}
                      reasonId={`${reasonId}-board`}
                      onClick={() => setDialog('addPanel')}
                      testId="dashboard-add-panel"
                    />
                    <ActionButton
                      label={t('dashboards.rename')}
                      reason={readOnlyReason}
                      reasonId={`${reasonId}-board`}
                      onClick={() => setDialog('rename')}
                      testId="dashboard-rename"
                    />
                    <ActionButton
                      label={t('dashboards.save')}
                      reason={readOnlyReason}
                      reasonId={`${reasonId}-board`}
                      disabled={draft === null || save.isPending}
                      onClick={onSave}
                      testId="dashboard-save"
                    />
                    {draft && !isNew && (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => {
                          setDraft(null);
                          save.reset();
                        }}
                        data-testid="dashboard-discard"
                      >
                        {t('dashboards.discard')}
                      </button>
                    )}
                    <ActionButton
                      label={t('dashboards.delete.open')}
                      reason={readOnlyReason}
                      reasonId={`${reasonId}-board`}
                      disabled={isNew}
                      onClick={() => {
                        remove.reset();
                        setDialog('delete');
                      }}
                      testId="dashboard-delete"
                    />
                    <button
                      type="button"
                      className="button button--small"
                      disabled={isNew || exporter.isPending}
                      onClick={() => onExport(shown.id)}
                      data-testid="dashboard-export"
                    >
                      {t('dashboards.export')}
                    </button>
                  </div>
                  {readOnlyReason !== null && (
                    <p
                      className="dashboards__reason"
                      id={`${reasonId}-board`}
                      data-testid="board-read-only-reason"
                    >
                      {readOnlyReason}
                    </p>
                  )}
                </div>
                {conflict && (
                  <div
                    className="explorer-notice explorer-notice--warning"
                    role="alert"
                    data-testid="save-conflict"
                  >
                    <p className="explorer-notice__title">
                      <strong>{t('dashboards.conflict.title')}</strong>
                    </p>
                    <p>{t('dashboards.conflict.detail', { title: shown.title })}</p>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={onReload}
                      data-testid="conflict-reload"
                    >
                      {t('dashboards.conflict.reload')}
                    </button>
                  </div>
                )}
                {save.isError && !conflict && dialog !== 'import' && (
                  <ApiErrorNotice error={save.error} title={t('dashboards.saveFailed')} />
                )}
                {exporter.isError && (
                  <ApiErrorNotice error={exporter.error} title={t('dashboards.exportFailed')} />
                )}
                <DashboardGrid
                  dashboard={shown}
                  time={time}
                  onOpenInExplorer={onOpenInExplorer}
                  onRemovePanel={
                    readOnlyReason === null ? (id) => edit((d) => removePanel(d, id)) : undefined
                  }
                />
              </article>
            </PanelBoundary>
          )}
        </div>
      </div>
      {(dialog === 'create' || dialog === 'rename') && (
        <TitleDialog
          heading={dialog === 'rename' ? t('dashboards.rename') : t('dashboards.new')}
          initial={dialog === 'rename' && shown ? shown.title : ''}
          confirm={dialog === 'rename' ? t('dashboards.rename') : t('dashboards.create')}
          onClose={() => setDialog(null)}
          onSubmit={(title) => {
            setDialog(null);
            if (dialog === 'rename') {
              edit((d) => renameDashboard(d, title));
              return;
            }
            const created = newDashboard(title, taken);
            setSelectedId(created.id);
            setRangeOverride(null);
            save.reset();
            setDraft({ dashboard: created, baseRevision: undefined });
          }}
        />
      )}
      {dialog === 'addPanel' && (
        <PanelForm
          explorerSeries={explorerSeries}
          onClose={() => setDialog(null)}
          onAdd={(panel) => {
            setDialog(null);
            edit((d) => addPanel(d, panel));
          }}
        />
      )}
      {dialog === 'delete' && shown && (
        <DeleteDialog
          title={shown.title}
          pending={remove.isPending}
          error={remove.isError ? remove.error : null}
          onClose={() => setDialog(null)}
          onConfirm={() =>
            remove.mutate(shown.id, {
              onSuccess: () => {
                setDialog(null);
                setSelectedId(null);
                setDraft(null);
              },
            })
          }
        />
      )}
      {dialog === 'import' && (
        <ImportDialog
          onSaveAsNew={canWrite ? onSaveImported : null}
          readOnlyReason={writeAccess.reason ?? ''}
          saving={save.isPending}
          saveError={save.isError ? save.error : null}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
