import { describe, expect, it } from 'vitest';
import { openAlarm, type Alarm, type AlarmSeverity } from './alarm';
import { correlate, zoneProblemKey, type CorrelationOptions } from './alarm-correlation';

const T0 = Date.UTC(2026, 2, 2, 8, 0);
const MINUTE = 60_000;
const options: CorrelationOptions = { windowMs: 5 * MINUTE, burstCount: 3 };

/** An open alarm of `zoneId` with cause `code`, raised at `at`. */
function alarm(
  id: string,
  zoneId: string | null,
  code: string,
  at: number,
  over: Partial<Alarm> = {},
): Alarm {
  const opened = openAlarm(
    id,
    {
      key: `tile:${id}`,
      origin: 'condition',
      subject: { kind: 'device', id, zoneId, name: id },
      cause: { code, params: {} },
      severity: 'major',
      at,
    },
    [],
  ).alarm;
  return { ...opened, ...over };
}

const ungrouped = (): null => null;

describe('correlate', () => {
  it('groups under a power problem the alarms of the zone raised from the window before the UPS went on battery', () => {
    const ups = alarm('a-ups-1', 'zone-a', 'onBattery', T0);
    const alarms = [
      alarm('a-too-early', 'zone-a', 'unreachable', T0 - 5 * MINUTE - 1),
      alarm('a-edge', 'zone-a', 'temperatureHigh', T0 - 5 * MINUTE),
      ups,
      alarm('a-later', 'zone-a', 'unreachable', T0 + 20 * MINUTE),
      alarm('b-switch', 'zone-b', 'unreachable', T0 + MINUTE),
    ];
    expect(correlate(alarms, ungrouped, options)).toEqual([
      {
        key: 'zone:zone-a/power',
        zoneId: 'zone-a',
        kind: 'power',
        active: true,
        childIds: ['a-edge', 'a-later', 'a-ups-1'],
        severity: 'major',
        causeCode: 'zonePowerFailure',
      },
    ]);
  });

  it('counts every UPS power condition and the on-battery trap as a power trigger', () => {
    for (const code of ['batteryLow', 'batteryDepleted', 'onBypass', 'trap.upsOnBattery'])
      expect(correlate([alarm('u', 'zone-a', code, T0)], ungrouped, options)).toEqual([
        expect.objectContaining({ kind: 'power', childIds: ['u'] }),
      ]);
  });

  it('raises no empty network parent when the power problem of the zone took every alarm', () => {
    const problems = correlate(
      [alarm('a-ups-1', 'zone-a', 'onBattery', T0), alarm('a-sw-1', 'zone-a', 'uplinkDown', T0 + MINUTE)],
      ungrouped,
      options,
    );
    expect(problems.map((p) => [p.key, p.childIds])).toEqual([
      [zoneProblemKey('zone-a', 'power'), ['a-sw-1', 'a-ups-1']],
    ]);
  });

  it('moves a zone incident seen before its cause under the power problem that explains it', () => {
    const burst = ['a-1', 'a-2', 'a-3'].map((id, i) => alarm(id, 'zone-a', 'slow', T0 + i * 1000));
    const ups = alarm('a-ups-1', 'zone-a', 'onBattery', T0 + 60_000);
    const burstKey = zoneProblemKey('zone-a', 'burst');
    const problems = correlate([...burst, ups], (a) => (a.id === 'a-ups-1' ? null : burstKey), options);
    expect(problems.map((p) => [p.key, p.childIds])).toEqual([
      [zoneProblemKey('zone-a', 'power'), ['a-1', 'a-2', 'a-3', 'a-ups-1']],
    ]);
  });

  it('groups a network problem on an uplink down or a link-down trap', () => {
    const problems = correlate(
      [
        alarm('a-sw-1', 'zone-a', 'uplinkDown', T0),
        alarm('a-svc', 'zone-a', 'failing', T0 + MINUTE),
        alarm('b-sw-1', 'zone-b', 'trap.linkDown', T0),
      ],
      ungrouped,
      options,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        key: zoneProblemKey('zone-a', 'network'),
        kind: 'network',
        active: true,
        childIds: ['a-svc', 'a-sw-1'],
        causeCode: 'zoneNetworkFault',
      }),
      expect.objectContaining({ key: 'zone:zone-b/network', childIds: ['b-sw-1'] }),
    ]);
  });

  it('groups a burst of alarms without a trigger as a zone incident', () => {
    const burst = [
      alarm('a-1', 'zone-a', 'unreachable', T0),
      alarm('a-2', 'zone-a', 'slow', T0 + 2 * MINUTE),
      alarm('a-3', 'zone-a', 'failing', T0 + 5 * MINUTE, { severity: 'critical' }),
    ];
    expect(correlate(burst, ungrouped, options)).toEqual([
      {
        key: 'zone:zone-a/burst',
        zoneId: 'zone-a',
        kind: 'burst',
        active: true,
        childIds: ['a-1', 'a-2', 'a-3'],
        severity: 'critical',
        causeCode: 'zoneIncident',
      },
    ]);
  });

  it('does not group fewer than burstCount alarms, nor alarms spread wider than the window', () => {
    const two = [alarm('a-1', 'zone-a', 'unreachable', T0), alarm('a-2', 'zone-a', 'slow', T0 + MINUTE)];
    expect(correlate(two, ungrouped, options)).toEqual([]);
    const spread = [...two, alarm('a-3', 'zone-a', 'failing', T0 + 5 * MINUTE + 1)];
    expect(correlate(spread, ungrouped, options)).toEqual([]);
    const otherZone = [...two, alarm('b-1', 'zone-b', 'failing', T0 + MINUTE)];
    expect(correlate(otherZone, ungrouped, options)).toEqual([]);
  });

  it('keeps a grouped alarm under its problem, whenever it was raised', () => {
    const key = zoneProblemKey('zone-a', 'power');
    const old = alarm('a-old', 'zone-a', 'unreachable', T0 - 60 * MINUTE);
    const ups = alarm('a-ups-1', 'zone-a', 'onBattery', T0);
    const parentKeyOf = (a: Alarm): string | null => (a.id === 'a-old' ? key : null);
    expect(correlate([old, ups], parentKeyOf, options)).toEqual([
      expect.objectContaining({ key, childIds: ['a-old', 'a-ups-1'] }),
    ]);
    // A burst does not take an alarm another problem holds.
    const burstKey = zoneProblemKey('zone-a', 'burst');
    const members = [
      alarm('a-1', 'zone-a', 'unreachable', T0),
      alarm('a-2', 'zone-a', 'slow', T0),
      alarm('a-3', 'zone-a', 'failing', T0),
    ];
    const held = (a: Alarm): string | null => (a.id === 'a-1' ? burstKey : a.id === 'a-2' ? key : null);
    const problems = correlate(members, held, options);
    expect(problems.find((p) => p.kind === 'power')).toMatchObject({ active: false, childIds: ['a-2'] });
    expect(problems.find((p) => p.kind === 'burst')).toMatchObject({ childIds: ['a-1', 'a-3'] });
  });

  it('takes into a running zone incident what the zone raises while it lasts, and ends it with its last child', () => {
    const burstKey = zoneProblemKey('zone-a', 'burst');
    const members = ['a-1', 'a-2', 'a-3'].map((id) => alarm(id, 'zone-a', 'unreachable', T0));
    const grouped = (a: Alarm): string | null => (a.id.startsWith('a-') ? burstKey : null);
    const joining = alarm('new-1', 'zone-a', 'slow', T0 + 4 * MINUTE);
    const before = alarm('old-1', 'zone-a', 'slow', T0 - 5 * MINUTE - 1);
    expect(correlate([...members, joining, before], grouped, options)).toEqual([
      expect.objectContaining({ key: burstKey, active: true, childIds: ['a-1', 'a-2', 'a-3', 'new-1'] }),
    ]);
    const over = members.map((a) => ({ ...a, active: false, state: 'resolved' as const }));
    expect(correlate(over, grouped, options)).toEqual([
      expect.objectContaining({ key: burstKey, active: false, childIds: ['a-1', 'a-2', 'a-3'] }),
    ]);
  });

  it('makes the problem inactive once its triggers cleared, its children still grouped', () => {
    const key = zoneProblemKey('zone-a', 'power');
    const ups = alarm('a-ups-1', 'zone-a', 'onBattery', T0, {
      active: false,
      state: 'resolved',
      resolvedAt: T0 + 10 * MINUTE,
      severity: 'critical',
    });
    const child = alarm('a-rack', 'zone-a', 'unreachable', T0 + MINUTE, { severity: 'minor' });
    const grouped = (): string => key;
    expect(correlate([ups, child], grouped, options)).toEqual([
      expect.objectContaining({ key, active: false, childIds: ['a-rack', 'a-ups-1'], severity: 'critical' }),
    ]);
  });

  it('takes the worst severity of the active children while the problem is active', () => {
    const sev = (id: string, code: string, severity: AlarmSeverity, active = true): Alarm =>
      alarm(id, 'zone-a', code, T0, active ? { severity } : { severity, active, state: 'resolved' });
    const problems = correlate(
      [
        sev('a-ups-1', 'onBattery', 'major'),
        sev('a-gone', 'unreachable', 'critical', false),
        sev('a-slow', 'slow', 'minor'),
      ],
      ungrouped,
      options,
    );
    expect(problems).toEqual([
      expect.objectContaining({ active: true, childIds: ['a-gone', 'a-slow', 'a-ups-1'], severity: 'major' }),
    ]);
  });

  it('ignores parents, closed alarms and alarms with no zone', () => {
    const alarms = [
      alarm('parent', 'zone-a', 'onBattery', T0, { origin: 'correlation' }),
      alarm('closed', 'zone-a', 'onBattery', T0, { state: 'closed', active: false }),
      alarm('nowhere', null, 'onBattery', T0),
    ];
    expect(correlate(alarms, ungrouped, options)).toEqual([]);
  });

  it('gives the same answer whatever the order of its input', () => {
    const alarms = [
      alarm('b-1', 'zone-b', 'unreachable', T0),
      alarm('b-2', 'zone-b', 'slow', T0 + MINUTE),
      alarm('b-3', 'zone-b', 'failing', T0 + 2 * MINUTE),
      alarm('a-ups-1', 'zone-a', 'onBattery', T0),
      alarm('a-rack', 'zone-a', 'unreachable', T0 + MINUTE),
      alarm('c-sw-1', 'zone-c', 'uplinkDown', T0 + 2 * MINUTE),
    ];
    const forward = correlate(alarms, ungrouped, options);
    expect(correlate([...alarms].reverse(), ungrouped, options)).toEqual(forward);
    expect(
      correlate([alarms[3]!, alarms[0]!, alarms[5]!, alarms[1]!, alarms[4]!, alarms[2]!], ungrouped, options),
    ).toEqual(forward);
    expect(forward.map((p) => p.key)).toEqual([
      'zone:zone-a/power',
      'zone:zone-b/burst',
      'zone:zone-c/network',
    ]);
  });
});
