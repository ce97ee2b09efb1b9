/**
 * The maintenance windows (`m` in the alarms view): every window with its title, reason, what it
 * covers (by name), its schedule in words and where it stands (active now until when, or the next
 * occurrence), active ones first; live, since every seat gets `maintenance.changed`. An operator
 * plans (`n`), edits and deletes windows (deleting asks why); a viewer seat reads them, with the
 * actions disabled and the reason said. Esc goes back to the alarms.
 */
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { MaintenanceEntry } from '../../../../shared/api';
import type { MaintenanceWindow } from '../../../../shared/domain/maintenance-window';
import { missingCase } from '../../../../shared/domain/missing-case';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { OverlayDialog } from '../../components/overlay-dialog';
import { StatusIcon } from '../../components/status-icon';
import { useConnectionState } from '../../lib/api/api-context';
import { useEquipmentInventory } from '../../lib/api/equipment-queries';
import { useDeleteMaintenance, useMaintenanceList } from '../../lib/api/maintenance-queries';
import { useOverview } from '../../lib/api/queries';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { isPlainShortcut } from '../../lib/keyboard';
import { DialogActions } from './dialog-actions';
import { MaintenanceForm, type ScopeOption, type ScopeOptions } from './maintenance-form';
import {
  createMaintenanceFormats,
  maintenanceTiming,
  scheduleText,
  scopeLines,
  timingOrder,
  type MaintenanceTextContext,
  type MaintenanceTiming,
  type ScopeNames,
} from './maintenance-text';
import './maintenance.css';

/** The zones, devices and services a scope can name, from the overview and the inventory. */
function useScopeCatalog(): { options: ScopeOptions; names: ScopeNames } {
  const { locale } = useI18n();
  const overview = useOverview().data;
  const inventory = useEquipmentInventory().data;
  return useMemo(() => {
    const zoneNames = new Map<string, string>();
    for (const zone of inventory?.zones ?? []) zoneNames.set(zone.id, zone.name);
    for (const zone of overview?.zones ?? []) zoneNames.set(zone.id, zone.name);
    const devices = new Map<string, ScopeOption>();
    const services = new Map<string, ScopeOption>();
    const place = (zoneId: string) => zoneNames.get(zoneId) ?? zoneId;
    for (const device of inventory?.devices ?? [])
      devices.set(device.id, { id: device.id, name: device.name, detail: place(device.zone) });
    for (const tile of overview?.tiles ?? []) {
      const option = { id: tile.id, name: tile.name, detail: place(tile.zoneId) };
      if (tile.kind === 'service') services.set(tile.id, option);
      else if (!devices.has(tile.id)) devices.set(tile.id, option);
    }
    const sorted = (options: Iterable<ScopeOption>) =>
      [...options].sort(
        (a, b) =>
          (a.detail ?? '').localeCompare(b.detail ?? '', locale) || a.name.localeCompare(b.name, locale),
      );
    const zones = [...zoneNames].map(([id, name]) => ({ id, name }));
    return {
      options: { zones, devices: sorted(devices.values()), services: sorted(services.values()) },
      names: {
        zone: (id) => zoneNames.get(id) ?? id,
        device: (id) => devices.get(id)?.name ?? id,
        service: (id) => services.get(id)?.name ?? id,
      },
    };
  }, [overview, inventory, locale]);
}

function TimingText({ timing, now }: { timing: MaintenanceTiming; now: number }) {
  const { t, fmt } = useI18n();
  const formats = useFormats();
  switch (timing.kind) {
    case 'active':
      return (
        <span className="maintenance-window__timing maintenance-window__timing--active">
          <StatusIcon status="maintenance" />{' '}
          {t('maintenance.status.active', { time: fmt.time(timing.until, now) })}
        </span>
      );
    case 'next':
      return (
        <span className="maintenance-window__timing">
          {t('maintenance.status.next', { period: formats.range(timing.from, timing.to) })}
        </span>
      );
    case 'over':
      return <span className="maintenance-window__timing alarm-muted">{t('maintenance.status.over')}</span>;
    default:
      throw missingCase(timing);
  }
}

function useFormats() {
  const { locale, timeZone } = useI18n();
  return useMemo(() => createMaintenanceFormats(locale, timeZone), [locale, timeZone]);
}

function WindowItem({
  entry,
  timing,
  now,
  context,
  names,
  blockedBy,
  onEdit,
  onDelete,
}: {
  entry: MaintenanceEntry;
  timing: MaintenanceTiming;
  now: number;
  context: MaintenanceTextContext;
  names: ScopeNames;
  blockedBy: string | null;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t, fmt, formats } = context;
  const { window } = entry;
  const headingId = useId();
  return (
    <li
      className={`maintenance-window maintenance-window--${timing.kind}`}
      aria-labelledby={headingId}
      data-testid="maintenance-window"
      data-window-id={window.id}
      data-timing={timing.kind}
    >
      <div className="maintenance-window__head">
        <h2 className="maintenance-window__title" id={headingId}>
          {window.title}
        </h2>
        <span data-testid="maintenance-timing">
          <TimingText timing={timing} now={now} />
        </span>
      </div>
      <p data-testid="maintenance-schedule">{scheduleText(context, window.schedule)}</p>
      <ul className="maintenance-window__scope" data-testid="maintenance-scope">
        {scopeLines(t, formats, names, window.scope).map((line) => (
          <li key={line.kind}>{line.text}</li>
        ))}
      </ul>
      <p className="maintenance-window__reason" data-testid="maintenance-reason-text">
        {window.reason.trim() === ''
          ? t('maintenance.noReason')
          : t('maintenance.reason', { reason: window.reason })}
      </p>
      <p className="alarm-muted">
        {t('maintenance.createdBy', { by: window.createdBy, time: fmt.dateTime(window.createdAt) })}
      </p>
      <div className="maintenance-window__actions">
        <button
          type="button"
          className="button button--small"
          disabled={blockedBy !== null}
          aria-describedby={blockedBy ?? undefined}
          aria-label={t('maintenance.editLabel', { title: window.title })}
          onClick={onEdit}
          data-testid="maintenance-edit"
        >
          {t('maintenance.edit')}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={blockedBy !== null}
          aria-describedby={blockedBy ?? undefined}
          aria-label={t('maintenance.deleteLabel', { title: window.title })}
          onClick={onDelete}
          data-testid="maintenance-delete"
        >
          {t('maintenance.delete')}
        </button>
      </div>
    </li>
  );
}

function DeleteDialog({
  window,
  onClose,
  onDeleted,
}: {
  window: MaintenanceWindow;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const remove = useDeleteMaintenance();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const text = reason.trim();
    if (text === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    remove.mutate(
      { id: window.id, reason: text },
      {
        onSuccess: () => {
          onDeleted();
          onClose();
        },
      },
    );
  }

  return (
    <OverlayDialog
      variant="centre"
      labelledBy={`${id}-title`}
      onClose={onClose}
      testId="maintenance-delete-dialog"
    >
      <form className="alarm-form" onSubmit={onSubmit} noValidate>
        <h2 className="detail__title" id={`${id}-title`}>
          {t('maintenance.deleteDialog.title', { title: window.title })}
        </h2>
        <p className="alarm-muted">{t('maintenance.deleteDialog.hint')}</p>
        <label className="alarm-form__field">
          <span>{t('maintenance.deleteDialog.reason')}</span>
          <textarea
            className="alarm-input"
            rows={3}
            value={reason}
            required
            aria-required
            aria-invalid={missing}
            aria-describedby={missing ? `${id}-reason-error` : undefined}
            maxLength={2000}
            onChange={(event) => setReason(event.target.value)}
            data-autofocus
            data-testid="maintenance-delete-reason"
          />
        </label>
        {missing && (
          <p
            className="alarm-form__error"
            id={`${id}-reason-error`}
            role="alert"
            data-testid="maintenance-delete-required"
          >
            {t('maintenance.deleteDialog.reasonRequired')}
          </p>
        )}
        {remove.isError && (
          <ApiErrorNotice
            error={remove.error}
            title={t('maintenance.deleteDialog.failed')}
            testId="maintenance-delete-error"
          />
        )}
        <DialogActions
          submitLabel={t('maintenance.deleteDialog.submit')}
          pending={remove.isPending}
          onCancel={onClose}
          submitTestId="maintenance-delete-submit"
        />
      </form>
    </OverlayDialog>
  );
}

type Editing = { readonly window: MaintenanceWindow | null };

export interface MaintenancePanelProps {
  readonly onBack: () => void;
  /** Null when this seat may plan and delete windows (maintenance.write); otherwise why not. */
  readonly deniedReason: string | null;
}

export function MaintenancePanel({ onBack, deniedReason }: MaintenancePanelProps) {
  const viewer = deniedReason !== null;
  const { t, fmt } = useI18n();
  const formats = useFormats();
  const headingId = useId();
  const reasonId = useId();
  const list = useMaintenanceList();
  const live = useConnectionState().kind === 'open';
  const { options, names } = useScopeCatalog();
  const now = useNow();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<MaintenanceWindow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const context = useMemo<MaintenanceTextContext>(() => ({ t, fmt, formats }), [t, fmt, formats]);
  const blockedBy = viewer ? reasonId : null;

  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      if (!isPlainShortcut(event)) return;
      if (event.key === 'Escape') onBack();
      else if (event.key === 'n' && !viewer) setEditing({ window: null });
      else return;
      event.preventDefault();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onBack, viewer]);

  const entries = useMemo(() => {
    const timed = (list.data?.windows ?? []).map((entry) => ({
      entry,
      timing: maintenanceTiming(entry, now),
    }));
    return timed.sort(
      (a, b) => timingOrder(a.timing, b.timing) || a.entry.window.title.localeCompare(b.entry.window.title),
    );
  }, [list.data, now]);
  const active = entries.filter((e) => e.timing.kind === 'active').length;

  let body;
  if (list.data && entries.length > 0)
    body = (
      <ul className="maintenance-windows" aria-labelledby={headingId}>
        {entries.map(({ entry, timing }) => (
          <WindowItem
            key={entry.window.id}
            entry={entry}
            timing={timing}
            now={now}
            context={context}
            names={names}
            blockedBy={blockedBy}
            onEdit={() => setEditing({ window: entry.window })}
            onDelete={() => setDeleting(entry.window)}
          />
        ))}
      </ul>
    );
  else if (list.data)
    body = (
      <p className="panel-message" data-testid="maintenance-none">
        {t('maintenance.none')}
      </p>
    );
  else if (list.isError)
    body = (
      <div className="alarms__failed">
        <ApiErrorNotice error={list.error} title={t('maintenance.failed')} testId="maintenance-error" />
        <button type="button" className="button" onClick={() => void list.refetch()}>
          {t('action.retry')}
        </button>
      </div>
    );
  else body = <p className="panel-message">{t(live ? 'maintenance.loading' : 'overview.waiting')}</p>;

  return (
    <section className="maintenance" aria-labelledby={headingId} data-testid="maintenance">
      <div className="alarms__toolbar">
        <h1 className="alarms__title" id={headingId}>
          {t('maintenance.title')}
        </h1>
        {list.data && (
          <span className="alarm-muted" data-testid="maintenance-summary">
            {t('maintenance.summary', { active: fmt.number(active), total: fmt.number(entries.length) })}
          </span>
        )}
        <button
          type="button"
          className="button alarm-primary"
          disabled={viewer}
          aria-describedby={blockedBy ?? undefined}
          aria-keyshortcuts="n"
          onClick={() => setEditing({ window: null })}
          data-testid="maintenance-new"
        >
          {t('maintenance.new')} <kbd>n</kbd>
        </button>
        <button
          type="button"
          className="button"
          onClick={onBack}
          aria-keyshortcuts="Escape"
          data-testid="maintenance-back"
        >
          {t('maintenance.back')}
        </button>
      </div>
      <p className="alarm-muted">{t('maintenance.intro')}</p>
      {viewer && (
        <p className="alarm-muted" id={reasonId} data-testid="maintenance-viewer-reason">
          {deniedReason}
        </p>
      )}
      {list.data && !live && (
        <p className="alarm-banner alarm-banner--alert" role="alert" data-testid="maintenance-not-live">
          {t('equipment.notLive')}
        </p>
      )}
      <p className="maintenance-notice" role="status" data-testid="maintenance-notice">
        {notice ?? ''}
      </p>
      {body}
      {editing && (
        <MaintenanceForm
          window={editing.window}
          options={options}
          context={context}
          onClose={() => setEditing(null)}
          onSaved={(entry) => setNotice(t('maintenance.saved', { title: entry.window.title }))}
        />
      )}
      {deleting && (
        <DeleteDialog
          window={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => setNotice(t('maintenance.deleted', { title: deleting.title }))}
        />
      )}
    </section>
  );
}
