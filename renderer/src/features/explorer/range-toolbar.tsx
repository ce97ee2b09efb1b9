/**
 * The time range: presets that follow the clock (live tail), absolute from/to typed in the
 * operator's time zone, pan by half the span, zoom in and out, and reset to the range chosen
 * before zooming or panning.
 */
import { useId, useState, type FormEvent } from 'react';
import { formatZonedInput, parseZonedInput } from '../../lib/i18n/zoned-time';
import { useI18n } from '../../lib/i18n/i18n-context';
import {
  LIVE_REFRESH_MS,
  presetOf,
  RANGE_PRESETS,
  type ExplorerAction,
  type ResolvedRange,
  type TimeRange,
} from './explorer-state';

interface AbsoluteRangeProps {
  readonly from: number;
  readonly to: number;
  readonly timeZone: string;
  readonly onApply: (from: number, to: number) => void;
}

/** From/to inputs; they follow the range until edited, and keep the edit until applied. */
function AbsoluteRange({ from, to, timeZone, onApply }: AbsoluteRangeProps) {
  const { t } = useI18n();
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
    onApply(start, end);
  }

  return (
    <form className="explorer-range__absolute" onSubmit={onSubmit} data-testid="explorer-absolute">
      <label htmlFor={`${id}-from`}>{t('explorer.range.from')}</label>
      <input
        id={`${id}-from`}
        className="explorer-input"
        type="datetime-local"
        value={shownFrom}
        onChange={(event) => setDraft({ from: event.target.value, to: shownTo })}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={`${id}-zone`}
        data-testid="range-from"
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
        data-testid="range-to"
      />
      <button type="submit" className="button button--small" data-testid="range-apply">
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

function rangeKey(range: TimeRange): string {
  return range.kind === 'live' ? `live:${range.spanMs}` : `fixed:${range.from}:${range.to}`;
}

export interface RangeToolbarProps {
  readonly range: TimeRange;
  readonly resolved: ResolvedRange;
  readonly zoomed: boolean;
  /** The clock's time when a button is pressed (pan and zoom of a live range start from it). */
  readonly now: () => number;
  readonly dispatch: (action: ExplorerAction) => void;
}

export function RangeToolbar({ range, resolved, zoomed, now, dispatch }: RangeToolbarProps) {
  const { t, timeZone, fmt } = useI18n();
  const active = presetOf(range);
  return (
    <div className="explorer-range" data-testid="explorer-range">
      <div className="explorer-range__row">
        <div className="explorer-range__presets" role="group" aria-label={t('explorer.range.presets')}>
          {RANGE_PRESETS.map((preset) => (
            <button
              key={preset.id}
              type="button"
              className="button button--small"
              aria-pressed={active === preset.id}
              onClick={() => dispatch({ type: 'setRange', range: { kind: 'live', spanMs: preset.spanMs } })}
              data-testid={`preset-${preset.id}`}
            >
              {t(`explorer.range.preset.${preset.id}`)}
            </button>
          ))}
        </div>
        <div className="explorer-range__moves" role="group" aria-label={t('explorer.range.move')}>
          <button
            type="button"
            className="button button--small"
            onClick={() => dispatch({ type: 'pan', direction: -1, now: now() })}
            title={t('explorer.range.earlierHint')}
            data-testid="range-earlier"
          >
            <span aria-hidden="true">◀</span> {t('explorer.range.earlier')}
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => dispatch({ type: 'pan', direction: 1, now: now() })}
            disabled={resolved.live}
            title={t('explorer.range.laterHint')}
            data-testid="range-later"
          >
            {t('explorer.range.later')} <span aria-hidden="true">▶</span>
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => dispatch({ type: 'zoomIn', now: now() })}
            data-testid="range-zoom-in"
          >
            {t('explorer.range.zoomIn')}
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => dispatch({ type: 'zoomOut', now: now() })}
            data-testid="range-zoom-out"
          >
            {t('explorer.range.zoomOut')}
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => dispatch({ type: 'reset' })}
            disabled={!zoomed}
            data-testid="range-reset"
          >
            {t('explorer.range.reset')}
          </button>
        </div>
      </div>
      <div className="explorer-range__row">
        <AbsoluteRange
          key={rangeKey(range)}
          from={resolved.from}
          to={resolved.to}
          timeZone={timeZone}
          onApply={(from, to) => dispatch({ type: 'setRange', range: { kind: 'fixed', from, to } })}
        />
        <p
          className={`explorer-range__mode explorer-range__mode--${resolved.live ? 'live' : 'fixed'}`}
          data-testid="explorer-mode"
          data-live={resolved.live ? 'true' : 'false'}
        >
          {resolved.live
            ? t('explorer.range.live', { seconds: fmt.number(LIVE_REFRESH_MS / 1_000) })
            : t('explorer.range.fixed')}
        </p>
      </div>
    </div>
  );
}
