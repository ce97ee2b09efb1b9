/** Everything about one tile: every reading with its label, sample and attempt times, last error. */
import { useId } from 'react';
import { OverlayDialog } from '../../components/overlay-dialog';
import { StatusBadge } from '../../components/status-badge';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { EffectiveTile } from './effective-overview';
import { formatDuration, formatReading } from './format-reading';
import { tileErrorLabel } from './tile-error';

function When({ at }: { at: number | null }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  if (at === null) return <>{t('detail.never')}</>;
  return (
    <>
      <time dateTime={new Date(at).toISOString()}>{fmt.dateTime(at)}</time>{' '}
      <span className="detail__muted">({fmt.age(now - at)})</span>
    </>
  );
}

export interface TileDetailDrawerProps {
  /** The tile as shown now, or null when it left the overview while the drawer was open. */
  readonly entry: EffectiveTile | null;
  readonly zoneName: string | null;
  readonly onClose: () => void;
  /** Opens the metric explorer on this tile's collected data; absent: no such button. */
  readonly onOpenInExplorer?: () => void;
  /** Opens the built-in dashboard about this device or service (titled `dashboardTitle`); absent: none. */
  readonly onOpenDashboard?: () => void;
  readonly dashboardTitle?: string;
}

export function TileDetailDrawer({
  entry,
  zoneName,
  onClose,
  onOpenInExplorer,
  onOpenDashboard,
  dashboardTitle,
}: TileDetailDrawerProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const titleId = useId();
  return (
    <OverlayDialog variant="drawer" labelledBy={titleId} onClose={onClose} testId="tile-detail">
      <header className="detail__header">
        <h2 className="detail__title" id={titleId}>
          {entry ? entry.tile.name : t('detail.gone')}
        </h2>
        <button
          type="button"
          className="button button--icon"
          onClick={onClose}
          aria-label={t('detail.close')}
          data-autofocus
        >
          <span aria-hidden="true">✕</span>
        </button>
      </header>
      {entry && (
        <div className="detail__body">
          <dl className="detail__facts">
            <dt>{t('detail.status')}</dt>
            <dd>
              <StatusBadge status={entry.status} />
              {entry.stale && <span className="detail__muted"> {t('detail.stale')}</span>}
            </dd>
            <dt>{t('detail.condition')}</dt>
            <dd>{t(`condition.${entry.tile.condition}`)}</dd>
            <dt>{t('detail.kind')}</dt>
            <dd>{t(`tileKind.${entry.tile.kind}`)}</dd>
            <dt>{t('detail.zone')}</dt>
            <dd>{zoneName ?? entry.tile.zoneId}</dd>
            <dt>{t('detail.lastSample')}</dt>
            <dd data-testid="detail-last-sample">
              <When at={entry.tile.lastSampleAt} />
            </dd>
            <dt>{t('detail.lastAttempt')}</dt>
            <dd>
              <When at={entry.tile.lastAttemptAt} />
            </dd>
            <dt>{t('detail.lastError')}</dt>
            <dd data-testid="detail-last-error">
              {entry.tile.lastError ? (
                <>
                  <strong>{tileErrorLabel(t, entry.tile.lastError.code)}</strong>{' '}
                  <span className="detail__muted">
                    ({entry.tile.lastError.code}, <When at={entry.tile.lastError.at} />)
                  </span>
                  <span className="detail__message">{entry.tile.lastError.message}</span>
                </>
              ) : (
                t('detail.none')
              )}
            </dd>
            <dt>{t('detail.interval')}</dt>
            <dd>{formatDuration(i18n, entry.tile.intervalMs)}</dd>
          </dl>
          <table className="detail__readings">
            <caption>{t('detail.readings')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('detail.reading')}</th>
                <th scope="col">{t('detail.value')}</th>
              </tr>
            </thead>
            <tbody>
              {entry.tile.readings.length === 0 && (
                <tr>
                  <td colSpan={2}>{t('detail.noReadings')}</td>
                </tr>
              )}
              {entry.tile.readings.map((reading) => (
                <tr key={reading.key} data-testid={`detail-reading-${reading.key}`}>
                  <th scope="row">{t(`reading.${reading.key}`)}</th>
                  <td>{formatReading(i18n, reading)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="detail__muted">{t('detail.id', { id: entry.tile.id })}</p>
          {(onOpenInExplorer || onOpenDashboard) && (
            <p className="detail__actions">
              {onOpenInExplorer && (
                <button
                  type="button"
                  className="button"
                  onClick={onOpenInExplorer}
                  data-testid="open-in-explorer"
                >
                  {t('detail.openInExplorer')}
                </button>
              )}
              {onOpenDashboard && (
                <button
                  type="button"
                  className="button"
                  onClick={onOpenDashboard}
                  data-testid="open-tile-dashboard"
                >
                  {t('detail.openDashboard', { title: dashboardTitle ?? '' })}
                </button>
              )}
            </p>
          )}
        </div>
      )}
    </OverlayDialog>
  );
}
