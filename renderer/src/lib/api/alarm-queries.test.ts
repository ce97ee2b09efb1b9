import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { AlarmList } from '../../../../shared/api';
import { countAlarms } from '../../../../shared/domain/alarm';
import { alarm, alarmList, escalation } from '../testing/alarm-fixtures';
import { alarmKeys, applyAlarmsChanged, applyAlarmsChangedBatch, mergeAlarms } from './alarm-queries';
import { createRevisionGuard } from './revision-guard';

describe('mergeAlarms', () => {
  it('keeps the newer copy of each alarm and drops the closed ones', () => {
    const held = [alarm({ id: 'a', revision: 3 }), alarm({ id: 'b', revision: 1 })];
    const merged = mergeAlarms(held, [
      alarm({ id: 'a', revision: 2, state: 'acknowledged' }),
      alarm({ id: 'b', revision: 2, state: 'closed' }),
      alarm({ id: 'c', revision: 0 }),
    ]);
    expect(merged.map((a) => [a.id, a.revision, a.state])).toEqual([
      ['a', 3, 'outstanding'],
      ['c', 0, 'outstanding'],
    ]);
  });
});

describe('applyAlarmsChanged', () => {
  function held(queryClient: QueryClient): AlarmList {
    const list = queryClient.getQueryData<AlarmList>(alarmKeys.list);
    if (!list) throw new Error('no list held');
    return list;
  }

  it('takes counts and escalations from an event newer than the list, not from an older one', () => {
    const queryClient = new QueryClient();
    const guard = createRevisionGuard();
    const a = alarm({ id: 'a', severity: 'critical' });
    queryClient.setQueryData(
      alarmKeys.list,
      alarmList([a], { revision: 10, escalations: { a: escalation() } }),
    );
    guard.accept('alarms', 10);

    const acked = { ...a, state: 'acknowledged' as const, revision: 2 };
    applyAlarmsChanged(queryClient, guard, {
      revision: 11,
      alarms: [acked],
      counts: countAlarms([acked]),
      escalations: { a: null },
    });
    expect(held(queryClient).counts.outstanding.critical).toBe(0);
    expect(held(queryClient).escalations).toEqual({});
    expect(held(queryClient).revision).toBe(11);

    applyAlarmsChanged(queryClient, guard, {
      revision: 9,
      alarms: [{ ...a, revision: 1 }],
      counts: countAlarms([a]),
      escalations: { a: escalation() },
    });
    expect(held(queryClient).alarms[0]?.state).toBe('acknowledged');
    expect(held(queryClient).counts.outstanding.critical).toBe(0);
    expect(held(queryClient).escalations).toEqual({});
  });

  it('marks the list to be asked again when an event comes before any list is held', () => {
    const queryClient = new QueryClient();
    // A list request in flight: the query exists, without data yet.
    queryClient.getQueryCache().build(queryClient, { queryKey: alarmKeys.list });
    applyAlarmsChanged(queryClient, createRevisionGuard(), {
      revision: 1,
      alarms: [alarm({ id: 'x' })],
      counts: countAlarms([]),
      escalations: {},
    });
    expect(queryClient.getQueryData(alarmKeys.list)).toBeUndefined();
    expect(queryClient.getQueryState(alarmKeys.list)?.isInvalidated).toBe(true);
  });
});

describe('applyAlarmsChangedBatch', () => {
  it('applies coalesced events at once: the newest copy of each alarm, the newest counts', () => {
    const queryClient = new QueryClient();
    const guard = createRevisionGuard();
    const a = alarm({ id: 'a', severity: 'critical' });
    const b = alarm({ id: 'b', severity: 'minor' });
    queryClient.setQueryData(alarmKeys.list, alarmList([a, b], { revision: 10, escalations: {} }));
    guard.accept('alarms', 10);

    const aMajor = { ...a, severity: 'major' as const, revision: 3 };
    const aStale = { ...a, severity: 'minor' as const, revision: 2 };
    const bClosed = { ...b, state: 'closed' as const, revision: 2 };
    applyAlarmsChangedBatch(queryClient, guard, [
      { revision: 12, alarms: [aMajor], counts: countAlarms([aMajor, b]), escalations: {} },
      { revision: 11, alarms: [aStale], counts: countAlarms([aStale, b]), escalations: {} },
      { revision: 13, alarms: [bClosed], counts: countAlarms([aMajor]), escalations: {} },
    ]);
    const list = queryClient.getQueryData<AlarmList>(alarmKeys.list);
    expect(list?.alarms.map((x) => [x.id, x.severity, x.revision])).toEqual([['a', 'major', 3]]);
    expect(list?.revision).toBe(13);
    expect(list?.counts).toEqual(countAlarms([aMajor]));
  });

  it('keeps the list as it is when nothing in the events is newer', () => {
    const queryClient = new QueryClient();
    const guard = createRevisionGuard();
    const a = alarm({ id: 'a', revision: 5 });
    const held = alarmList([a], { revision: 10, escalations: {} });
    queryClient.setQueryData(alarmKeys.list, held);
    guard.accept('alarms', 10);
    applyAlarmsChangedBatch(queryClient, guard, [
      { revision: 9, alarms: [{ ...a, revision: 4 }], counts: held.counts, escalations: {} },
    ]);
    expect(queryClient.getQueryData(alarmKeys.list)).toBe(held);
  });
});
