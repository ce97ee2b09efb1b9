/**
 * One tile: name, kind, status (icon + text + colour), condition, the primary value with its
 * unit, a couple of secondary readings, the age of its data and its last error. A stale tile is
 * grey with "no data since HH:MM", never green.
 */
import { memo, useId } from 'react';
import { useI18n } from '../../lib/i18n/i18n-context';
import { StatusIcon } from '../../components/status-icon';
import type { EffectiveTile } from './effective-overview';
import { formatReading, secondaryReadings } from './format-reading';
import { NoDataSince, SampleAge } from './tile-age';
import { tileErrorLabel } from './tile-error';

export interface TileCardProps {
  readonly entry: EffectiveTile;
  readonly focusable: boolean;
  readonly onOpen: (id: string) => void;
  readonly onFocusTile: (id: string) => void;
  readonly registerTile: (id: string, element: HTMLButtonElement | null) => void;
}

export const TileCard = memo(function TileCard({
  entry,
  focusable,
  onOpen,
  onFocusTile,
  registerTile,
}: TileCardProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { tile, status, stale } = entry;
  const domId = useId();
  const ids = {
    name: `${domId}-name`,
    status: `${domId}-status`,
    value: `${domId}-value`,
    age: `${domId}-age`,
    noData: `${domId}-nodata`,
    error: `${domId}-error`,
  };
  const secondary = secondaryReadings(tile);
  const errorLabel = tile.lastError ? tileErrorLabel(t, tile.lastError.code) : null;
  const describedBy = [ids.value, ids.age, stale ? ids.noData : null, tile.lastError ? ids.error : null]
    .filter(Boolean)
    .join(' ');

  return (
    <li className="tile-grid__item">
      <button
        type="button"
        ref={(element) => registerTile(tile.id, element)}
        className={`tile tile--${status}${stale ? ' tile--stale' : ''}`}
        data-testid={`tile-${tile.id}`}
        data-tile-id={tile.id}
        data-status={status}
        data-condition={tile.condition}
        data-stale={stale ? 'true' : 'false'}
        tabIndex={focusable ? 0 : -1}
        aria-labelledby={`${ids.name} ${ids.status}`}
        aria-describedby={describedBy}
        aria-haspopup="dialog"
        onClick={() => onOpen(tile.id)}
        onFocus={() => onFocusTile(tile.id)}
      >
        <span className="tile__head">
          <StatusIcon status={status} className="tile__icon" />
          <span className="tile__name" id={ids.name} title={tile.name}>
            {tile.name}
          </span>
        </span>
        <span className="tile__kind">{t(`tileKind.${tile.kind}`)}</span>
        <span className="tile__status" id={ids.status}>
          <span className="tile__status-text">{t(`status.${status}`)}</span>
          <span className="tile__condition">{t(`condition.${tile.condition}`)}</span>
        </span>
        <span className={`tile__primary${stale ? ' tile__primary--last-known' : ''}`} id={ids.value}>
          {tile.primary ? (
            <>
              <span className="tile__value" data-testid="tile-value">
                {formatReading(i18n, tile.primary)}
              </span>
              <span className="tile__value-label">
                {stale
                  ? t('tile.lastKnown', { reading: t(`reading.${tile.primary.key}`) })
                  : t(`reading.${tile.primary.key}`)}
              </span>
            </>
          ) : (
            <span className="tile__value tile__value--none" data-testid="tile-value">
              {t('value.missing')}
            </span>
          )}
        </span>
        {secondary.length > 0 && (
          <span className="tile__secondary">
            {secondary.map((reading) => (
              <span key={reading.key} className="tile__reading">
                <span className="tile__reading-label">{t(`reading.${reading.key}`)}</span>{' '}
                <span className="tile__reading-value">{formatReading(i18n, reading)}</span>
              </span>
            ))}
          </span>
        )}
        <span className="tile__footer">
          <SampleAge at={tile.lastSampleAt} id={ids.age} testId="tile-age" />
          {stale && <NoDataSince at={tile.lastSampleAt} id={ids.noData} />}
          {tile.lastError && errorLabel !== null && (
            <span
              className="tile__error"
              id={ids.error}
              title={`${tile.lastError.code}: ${tile.lastError.message}`}
              data-testid="tile-error"
            >
              <span aria-hidden="true">⚠ </span>
              {errorLabel}
            </span>
          )}
        </span>
      </button>
    </li>
  );
});
