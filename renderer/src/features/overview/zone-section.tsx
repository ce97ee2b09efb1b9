import { useId, type ReactNode } from 'react';
import { STATUSES } from '../../../../shared/domain/status';
import { StatusBadge } from '../../components/status-badge';
import { StatusIcon } from '../../components/status-icon';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { EffectiveZone, TileGroup } from './effective-overview';

export interface ZoneSectionProps {
  readonly zone: EffectiveZone;
  /** False for the pseudo-zone of tiles without a known zone. */
  readonly showKind: boolean;
  readonly filtering: boolean;
  readonly renderGroup: (group: TileGroup, zone: EffectiveZone) => ReactNode;
}

/** A zone (primary datacenter or witness site): its worst status, its counts, then its tiles by group. */
export function ZoneSection({ zone, showKind, filtering, renderGroup }: ZoneSectionProps) {
  const { t, fmt } = useI18n();
  const headingId = useId();
  const empty = zone.equipment.length === 0 && zone.services.length === 0;
  return (
    <section
      className={`zone zone--${zone.status}`}
      data-testid={`zone-${zone.zone.id}`}
      data-status={zone.status}
      aria-labelledby={headingId}
    >
      <header className="zone__header">
        <h2 className="zone__title" id={headingId}>
          <span className="zone__name">{zone.zone.name}</span>
          {showKind && <span className="zone__kind">{t(`zoneKind.${zone.zone.kind}`)}</span>}
        </h2>
        <StatusBadge status={zone.status} className="zone__status" />
        <ul className="zone__counts" aria-label={t('zone.counts')}>
          {STATUSES.filter((status) => zone.counts[status] > 0).map((status) => (
            <li key={status} className={`zone__count zone__count--${status}`}>
              <StatusIcon status={status} />
              <span className="visually-hidden">{t(`status.${status}`)}</span>
              <span>{fmt.number(zone.counts[status])}</span>
            </li>
          ))}
        </ul>
      </header>
      {zone.equipment.length > 0 && renderGroup('equipment', zone)}
      {zone.services.length > 0 && renderGroup('services', zone)}
      {empty && <p className="zone__empty">{t(filtering ? 'zone.noMatch' : 'zone.empty')}</p>}
    </section>
  );
}
