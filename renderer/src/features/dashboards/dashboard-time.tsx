/**
 * A dashboard's time in words (a preset, or a fixed period in the operator's zone), and the form
 * that types a fixed period: from/to read as wall-clock times in the operator's zone, not the
 * browser's, so a seat abroad still reviews the incident in the room's hours.
 */
import { useId, useState, type FormEvent } from 'react';
import type { DashboardTime } from '../../../../shared/domain/dashboard';
import { useI18n, type Translate } from '../../lib/i18n/i18n-context';
import type { Formatters } from '../../lib/i18n/formatters';
import { formatZonedInput, parseZonedInput } from '../../lib/i18n/zoned-time';

/** `6 h`, or `10 Mar 2024, 14:00:00 – 10 Mar 2024, 16:30:00 (CET)`. */
export function timeLabel(t: Translate, fmt: Formatters, time: DashboardTime): string {
  if (time.kind === 'relative') return t(`explorer.range.preset.${time.preset}`);
  return t('dashboards.period.absolute', {
    from: fmt.dateTime(time.from),
    to: fmt.dateTime(time.to),
    zone: fmt.zoneName(time.from),
  });
}

/** What the toolbar says about the period shown: live and how often, or fixed and when. */
export function PeriodMode({ time, refreshSeconds }: { time: DashboardTime; refreshSeconds: number }) {
  const { t, fmt } = useI18n();
  return (
    <p
      className={`explorer-range__mode explorer-range__mode--${time.kind === 'relative' ? 'live' : 'fixed'}`}
      data-testid="dashboard-mode"
      data-live={time.kind === 'relative' ? 'true' : 'false'}
    >
      {time.kind === 'relative'
        ? t('explorer.range.live', { seconds: fmt.number(refreshSeconds) })
        : t('dashboards.period.fixed', { period: timeLabel(t, fmt, time) })}
    </p>
  );
}

export interface PeriodFormProps {
  /** Shown in the inputs until edited. */
  readonly from: number;
  readonly to: number;
  readonly onApply: (time: DashboardTime) => void;
}

/** From/to of a fixed period; the edit is kept until applied. */
export function PeriodForm({ from, to, onApply }: PeriodFormProps) {
  const { t, timeZone } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState<{ readonly from: string; readonly to: string } | null>(null);
  const [invalid, setInvalid] = useState(false);
  const shownFrom = draft?.from ?? formatZonedInput(from, timeZone);
  const shownTo = draft?.to ?? formatZonedInput(to, timeZone);

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const start = parseZonedInput(shownFrom, timeZone);
    const end = parseZonedInput(shownTo, timeZone);
    if (start === null || end === null || end <= start) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setDraft(null);
    onApply({ kind: 'absolute', from: start, to: end });
  }

  return (
    <form
      className="explorer-range__absolute"
      onSubmit={onSubmit}
      aria-label={t('dashboards.period.form')}
      data-testid="dashboard-period"
    >
      <label htmlFor={`${id}-from`}>{t('explorer.range.from')}</label>
      <input
        id={`${id}-from`}
        className="explorer-input"
        type="datetime-local"
        value={shownFrom}
        onChange={(event) => setDraft({ from: event.target.value, to: shownTo })}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={`${id}-zone`}
        data-testid="dashboard-period-from"
      />
      <label htmlFor={`${id}-to`}>{t('explorer.range.to')}</label>
      <input
        id={`${id}-to`}
        className="explorer-input"
        type="datetime-local"
        value={shownTo}
        onChange={(event) => setDraft({ from: shownFrom, to: event.target.value })}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={`${id}-zone`}
        data-testid="dashboard-period-to"
      />
      <button type="submit" className="button button--small" data-testid="dashboard-period-apply">
        {t('explorer.range.apply')}
      </button>
      <span id={`${id}-zone`} className="explorer-muted">
        {t('explorer.range.zone', { zone: timeZone })}
      </span>
      {invalid && (
        <p className="explorer-range__invalid" role="alert">
          {t('explorer.range.invalid')}
        </p>
      )}
    </form>
  );
}
