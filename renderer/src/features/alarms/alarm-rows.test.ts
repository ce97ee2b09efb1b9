import { describe, expect, it } from 'vitest';
import { alarm, fixtureAlarms } from '../../lib/testing/alarm-fixtures';
import { buildRows, NO_FILTER, NO_ZONE } from './alarm-rows';

const textOf = (a: { subject: { name: string }; cause: { code: string } }) =>
  `${a.subject.name} ${a.cause.code}`;
const ids = (rows: readonly { alarm: { id: string }; depth: number }[]) =>
  rows.map((row) => `${'  '.repeat(row.depth)}${row.alarm.id}`);

describe('buildRows', () => {
  it('lists worst severity first, then outstanding before the rest, then newest, children folded', () => {
    const { rows, matching } = buildRows(fixtureAlarms(), NO_FILTER, new Set(), textOf);
    expect(ids(rows)).toEqual(['al-web-b', 'al-power-a', 'al-pdu-b1', 'al-link-a', 'al-reboot-w', 'al-odd']);
    expect(rows[1]).toMatchObject({ childCount: 2, expanded: false });
    expect(matching).toBe(8);
  });

  it('shows the children of an expanded zone-wide problem under it, worst first', () => {
    const { rows } = buildRows(fixtureAlarms(), NO_FILTER, new Set(['al-power-a']), textOf);
    expect(ids(rows).slice(0, 4)).toEqual(['al-web-b', 'al-power-a', '  al-ups-a1', '  al-sensor-a1']);
  });

  it('keeps a child whose parent is gone as an alarm of its own', () => {
    const orphan = alarm({ id: 'orphan', parentId: 'gone', severity: 'critical', raisedAt: 0 });
    const { rows } = buildRows([orphan], NO_FILTER, new Set(), textOf);
    expect(rows).toEqual([{ alarm: orphan, depth: 0, childCount: 0, expanded: false }]);
  });

  it('filters by severity, state, zone and text; a parent stays (open) for its matching children', () => {
    const all = fixtureAlarms();
    expect(ids(buildRows(all, { ...NO_FILTER, severity: 'critical' }, new Set(), textOf).rows)).toEqual([
      'al-web-b',
      'al-power-a',
    ]);
    expect(ids(buildRows(all, { ...NO_FILTER, state: 'snoozed' }, new Set(), textOf).rows)).toEqual([
      'al-pdu-b1',
    ]);
    expect(ids(buildRows(all, { ...NO_FILTER, zone: NO_ZONE }, new Set(), textOf).rows)).toEqual(['al-odd']);
    const byText = buildRows(all, { ...NO_FILTER, text: 'cold AISLE' }, new Set(), textOf);
    expect(ids(byText.rows)).toEqual(['al-power-a', '  al-sensor-a1']);
    expect(byText.rows[0]?.expanded).toBe(true);
    expect(byText.matching).toBe(1);
  });

  it('matches text without regard to accents or case', () => {
    const accented = alarm({
      id: 'x',
      subject: { kind: 'device', id: 'd', zoneId: 'a', name: 'Salle Électrique' },
    });
    expect(buildRows([accented], { ...NO_FILTER, text: 'electrique' }, new Set(), textOf).matching).toBe(1);
  });
});
