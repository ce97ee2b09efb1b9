/**
 * A rack drawn as its elevation: `heightU` slots, U1 at the bottom, each device a tile spanning its
 * U; empty U drawn as empty rails. Devices whose place does not fit the rack are listed under it
 * with the reason, never dropped.
 */
import { useId, type ReactNode } from 'react';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { RackView } from './rack-layout';

export interface RackElevationProps {
  readonly view: RackView;
  /** Renders the tile of a placed device (its `<li>`, placed on the grid by the tile). */
  readonly renderSlot: (slot: RackView['slots'][number]) => ReactNode;
  readonly renderMisplaced: (misplaced: RackView['misplaced'][number]) => ReactNode;
}

export function RackElevation({ view, renderSlot, renderMisplaced }: RackElevationProps) {
  const { t, fmt } = useI18n();
  const headingId = useId();
  const { rack, slots, misplaced } = view;
  const occupied = new Set(slots.flatMap((s) => Array.from({ length: s.span }, (_, i) => s.bottomU + i)));
  const units = Array.from({ length: rack.heightU }, (_, i) => rack.heightU - i);
  return (
    <section
      className="eq-rack"
      aria-labelledby={headingId}
      data-testid={`rack-${rack.id}`}
      data-height-u={rack.heightU}
    >
      <h3 className="eq-rack__title" id={headingId}>
        <span className="eq-rack__name">{rack.name}</span>
        <span className="eq-rack__size">
          {t('equipment.rack.size', { height: fmt.number(rack.heightU), used: fmt.number(occupied.size) })}
        </span>
      </h3>
      <ul
        className="eq-rack__body"
        style={{ gridTemplateRows: `repeat(${rack.heightU}, minmax(var(--eq-u-height), auto))` }}
        aria-label={t('equipment.rack.devices', { name: rack.name })}
      >
        {units.map((u) => (
          <li
            key={`u${u}`}
            className="eq-rack__u"
            style={{ gridRow: rack.heightU - u + 1, gridColumn: 1 }}
            aria-hidden="true"
            data-u={u}
          >
            {u}
          </li>
        ))}
        {units
          .filter((u) => !occupied.has(u))
          .map((u) => (
            <li
              key={`empty${u}`}
              className="eq-rack__empty"
              style={{ gridRow: rack.heightU - u + 1, gridColumn: 2 }}
              aria-hidden="true"
            />
          ))}
        {slots.map((slot) => renderSlot(slot))}
      </ul>
      {slots.length === 0 && <p className="eq-rack__note">{t('equipment.rack.empty')}</p>}
      {misplaced.length > 0 && (
        <div className="eq-rack__misplaced">
          <h4 className="eq-rack__misplaced-title">{t('equipment.rack.misplacedTitle')}</h4>
          <ul className="eq-tile-list">{misplaced.map((m) => renderMisplaced(m))}</ul>
        </div>
      )}
    </section>
  );
}
