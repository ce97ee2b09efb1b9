/**
 * The supervision-room wall: a kiosk that rotates through a playlist (the live overview and
 * dashboards) with large type and no chrome but what tells the room whether to trust it: a big
 * clock, when the data shown last changed, the link state, the status counts, and a banner that
 * cannot be missed when nothing arrived for more than two refresh periods. A dashboard of a fixed
 * period (an incident review) is not live: the wall says so instead of its last update, and never
 * calls it frozen.
 *
 * Keyboard: Space pauses or resumes, ← → previous or next, S the settings (Escape leaves them).
 * The rotation runs on the console clock, so it has no timer of its own and tests can drive it.
 */
import { useEffect, useEffectEvent, useId, useMemo, useState, type ReactNode } from 'react';
import { ConnectionStatus } from '../../components/connection-status';
import { PanelBoundary } from '../../components/error-boundary';
import { useApi, useConnectionState } from '../../lib/api/api-context';
import { useDashboards } from '../../lib/api/dashboard-queries';
import { useCan } from '../../lib/session/session-context';
import { useClock, useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { isPlainShortcut } from '../../lib/keyboard';
import { initialWallConfig, localStore, OVERVIEW_ITEM, storeWall, type WallConfig } from './wall-config';
import { WallSettings, type WallChoice } from './wall-settings';
import './wall.css';

/** The expected refresh of an item that has not said its own (the overview, before any data). */
export const DEFAULT_REFRESH_MS = 30_000;

export interface WallViewProps {
  /** `location.search` of the page (playlist and interval may come from it). */
  readonly search: string;
  /**
   * Renders one playlist item; it calls `onData(refreshMs)` every time fresh data arrived, with
   * null when the item shows a fixed period (it is not expected to change).
   */
  readonly renderItem: (item: string, onData: (refreshMs: number | null) => void) => ReactNode;
  /** The overall status counts. */
  readonly summary: ReactNode;
  readonly onLeave: () => void;
}

interface Rotation {
  readonly index: number;
  readonly startedAt: number;
  /** When paused, the time it was paused at. */
  readonly pausedAt: number | null;
}

interface Fresh {
  readonly item: string;
  readonly at: number;
  /** Null: a fixed period, not live. */
  readonly refreshMs: number | null;
}

export function WallView({ search, renderItem, summary, onLeave }: WallViewProps) {
  const { t, fmt } = useI18n();
  const headingId = useId();
  const clock = useClock();
  const now = useNow();
  const { transport } = useApi();
  const connection = useConnectionState();
  // Dashboards show shared infrastructure: a person without it sees the overview only.
  const infrastructure = useCan('view.infrastructure');
  const dashboards = useDashboards(infrastructure);
  const [storage] = useState(localStore);
  const [config, setConfig] = useState<WallConfig>(() => initialWallConfig(search, storage));
  const [settingsOpen, setSettingsOpen] = useState(() => config.playlist.length === 0);
  const [rotation, setRotation] = useState<Rotation>(() => ({
    index: 0,
    startedAt: clock.now(),
    pausedAt: null,
  }));
  const [fresh, setFresh] = useState<Fresh | null>(null);

  const playlist = useMemo(
    () => (infrastructure ? config.playlist : config.playlist.filter((id) => id === OVERVIEW_ITEM)),
    [infrastructure, config.playlist],
  );
  const count = playlist.length;
  const intervalMs = config.intervalSeconds * 1_000;
  const index = count === 0 ? 0 : rotation.index % count;
  const item = playlist[index] ?? null;

  // Rotation follows the clock: adjusted while rendering, the way React derives state.
  if (count > 0 && rotation.pausedAt === null && now - rotation.startedAt >= intervalMs) {
    const steps = Math.floor((now - rotation.startedAt) / intervalMs);
    setRotation({
      index: (index + steps) % count,
      startedAt: rotation.startedAt + steps * intervalMs,
      pausedAt: null,
    });
  }

  const [shown, setShown] = useState<{ item: string | null; since: number }>(() => ({ item, since: now }));
  if (shown.item !== item) setShown({ item, since: now });

  const onData = useMemo(
    () =>
      item === null
        ? () => undefined
        : (refreshMs: number | null) => setFresh({ item, at: clock.now(), refreshMs }),
    [item, clock],
  );

  const itemFresh = fresh !== null && fresh.item === item ? fresh : null;
  const fixed = itemFresh !== null && itemFresh.refreshMs === null;
  const refreshMs = itemFresh?.refreshMs ?? DEFAULT_REFRESH_MS;
  const since = itemFresh?.at ?? shown.since;
  const notUpdating = item !== null && !fixed && now - since > 2 * refreshMs;
  const paused = rotation.pausedAt !== null;
  const elapsed = Math.max(0, (rotation.pausedAt ?? now) - rotation.startedAt);
  const progress = Math.min(1, elapsed / intervalMs);

  const summaries = infrastructure ? (dashboards.data?.dashboards ?? []) : [];
  const titleOf = (id: string) =>
    id === OVERVIEW_ITEM ? t('nav.overview') : (summaries.find((s) => s.id === id)?.title ?? id);
  const choices: WallChoice[] = [
    { id: OVERVIEW_ITEM, title: t('nav.overview') },
    ...summaries.map((s) => ({ id: s.id, title: s.title })),
  ];

  function step(by: -1 | 1): void {
    if (count === 0) return;
    const at = clock.now();
    setRotation((r) => ({
      index: (index + by + count) % count,
      startedAt: at,
      pausedAt: r.pausedAt === null ? null : at,
    }));
  }

  function togglePause(): void {
    const at = clock.now();
    setRotation((r) =>
      r.pausedAt === null
        ? { ...r, pausedAt: at }
        : { ...r, startedAt: r.startedAt + (at - r.pausedAt), pausedAt: null },
    );
  }

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (!isPlainShortcut(event) || event.shiftKey) return;
    switch (event.key) {
      case ' ':
        event.preventDefault();
        togglePause();
        break;
      case 'ArrowLeft':
        event.preventDefault();
        step(-1);
        break;
      case 'ArrowRight':
        event.preventDefault();
        step(1);
        break;
      case 's':
      case 'S':
        event.preventDefault();
        setSettingsOpen(true);
        break;
      default:
        break;
    }
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  function onSave(next: WallConfig): void {
    setConfig(next);
    storeWall(storage, next);
    setRotation({ index: 0, startedAt: clock.now(), pausedAt: null });
    setSettingsOpen(false);
  }

  return (
    <section
      className="wall"
      aria-labelledby={headingId}
      data-testid="wall"
      data-paused={paused ? 'true' : 'false'}
    >
      <header className="wall__bar">
        <div className="wall__showing">
          <h1 className="wall__title" id={headingId} data-testid="wall-title">
            {item === null ? t('wall.title') : titleOf(item)}
          </h1>
          {count > 0 && (
            <p className="wall__position" data-testid="wall-position">
              {t('wall.position', { index: fmt.number(index + 1), count: fmt.number(count) })}
              {paused && (
                <span className="wall__paused" data-testid="wall-paused">
                  <span aria-hidden="true">⏸</span> {t('wall.paused')}
                </span>
              )}
            </p>
          )}
          {count > 1 && (
            <div
              className={`wall__progress${paused ? ' wall__progress--paused' : ''}`}
              role="progressbar"
              aria-label={t('wall.progress')}
              aria-valuemin={0}
              aria-valuemax={config.intervalSeconds}
              aria-valuenow={Math.floor(elapsed / 1_000)}
              data-testid="wall-progress"
            >
              <div className="wall__progress-fill" style={{ width: `${(progress * 100).toFixed(1)}%` }} />
            </div>
          )}
        </div>
        <div className="wall__status">
          {summary}
          <ConnectionStatus state={connection} onRetry={() => transport.reconnectNow()} />
          <p className="wall__updated" data-testid="wall-last-update">
            {fixed
              ? t('wall.fixedPeriod')
              : itemFresh
                ? t('wall.lastUpdate', { time: fmt.clock(itemFresh.at) })
                : t('wall.noUpdateYet')}
          </p>
          <time className="wall__clock" dateTime={new Date(now).toISOString()} data-testid="wall-clock">
            <span className="wall__clock-time">{fmt.clock(now)}</span>
            <span className="wall__clock-zone">{fmt.zoneName(now)}</span>
          </time>
        </div>
      </header>
      {notUpdating && (
        <div className="wall__frozen" role="alert" data-testid="wall-not-updating">
          <span aria-hidden="true">⚠</span> {t('wall.notUpdating', { time: fmt.time(since, now) })}
        </div>
      )}
      <div className="wall__body">
        {item === null ? (
          <p className="panel-message wall__empty">{t('wall.empty')}</p>
        ) : (
          <PanelBoundary key={item}>{renderItem(item, onData)}</PanelBoundary>
        )}
      </div>
      {settingsOpen && (
        <WallSettings
          config={config}
          choices={choices}
          onSave={onSave}
          onClose={() => setSettingsOpen(false)}
          onLeave={onLeave}
        />
      )}
    </section>
  );
}
