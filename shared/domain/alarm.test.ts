import { describe, expect, it } from 'vitest';
import {
  acknowledge,
  assign,
  changeSeverity,
  clear,
  close,
  compareAlarms,
  countAlarms,
  expireSnooze,
  group,
  isOpen,
  needsAttention,
  openAlarm,
  raise,
  resolveManually,
  settleFlapping,
  snooze,
  unacknowledge,
  worstSeverity,
  AlarmTransitionError,
  type Alarm,
  type AlarmSignal,
  type FlapPolicy,
} from './alarm';

const T0 = Date.UTC(2026, 2, 2, 8, 0);
const MINUTE = 60_000;

function signal(over: Partial<AlarmSignal> = {}): AlarmSignal {
  return {
    key: 'tile:a-ups-1',
    origin: 'condition',
    subject: { kind: 'device', id: 'a-ups-1', zoneId: 'zone-a', name: 'UPS A1' },
    cause: { code: 'onBattery', params: { value: 97 } },
    severity: 'major',
    at: T0,
    ...over,
  };
}

function opened(over: Partial<AlarmSignal> = {}): Alarm {
  return openAlarm('al-1', signal(over), []).alarm;
}

function acked(mode: 'normal' | 'sticky'): Alarm {
  return acknowledge(opened(), 'seat-1', 'on it', mode, T0 + MINUTE).alarm;
}

function resolved(): Alarm {
  return clear(opened(), T0 + MINUTE)!.alarm;
}

/** Runs `fn` and returns the AlarmTransitionError it throws. */
function refusal(fn: () => unknown): AlarmTransitionError {
  try {
    fn();
  } catch (err: unknown) {
    if (err instanceof AlarmTransitionError) return err;
    throw err;
  }
  throw new Error('expected an AlarmTransitionError');
}

describe('openAlarm', () => {
  it('opens an outstanding, active alarm with the source severity and one raised line', () => {
    const maintenance = ['ups-battery-swap'];
    const t = openAlarm('al-1', signal(), maintenance);
    expect(t.alarm).toMatchObject({
      id: 'al-1',
      key: 'tile:a-ups-1',
      state: 'outstanding',
      active: true,
      severity: 'major',
      sourceSeverity: 'major',
      ack: null,
      assignee: null,
      raisedAt: T0,
      lastRaisedAt: T0,
      resolvedAt: null,
      closedAt: null,
      occurrences: 1,
      flips: [T0],
      flapping: false,
      parentId: null,
      maintenance: ['ups-battery-swap'],
      revision: 0,
    });
    expect(t.alarm.maintenance).not.toBe(maintenance);
    expect(t.entries).toEqual([
      {
        alarmId: 'al-1',
        at: T0,
        actor: 'engine',
        action: 'raised',
        comment: null,
        from: null,
        to: 'outstanding',
        details: { severity: 'major' },
      },
    ]);
  });
});

describe('raise on an active alarm', () => {
  it('returns null when the same condition is reported again', () => {
    expect(raise(opened(), signal({ at: T0 + MINUTE }))).toBeNull();
  });

  it('drops a normal acknowledgement when the alarm worsens', () => {
    const before = acked('normal');
    const t = raise(
      before,
      signal({ severity: 'critical', cause: { code: 'batteryLow', params: {} }, at: T0 + 2 * MINUTE }),
    )!;
    expect(t.alarm).toMatchObject({
      state: 'outstanding',
      ack: null,
      severity: 'critical',
      sourceSeverity: 'critical',
      cause: { code: 'batteryLow', params: {} },
      changedAt: T0 + 2 * MINUTE,
      occurrences: 1,
    });
    expect(t.entries).toEqual([
      expect.objectContaining({
        action: 'worsened',
        actor: 'engine',
        from: 'acknowledged',
        to: 'outstanding',
        details: { severity: 'critical', cause: 'batteryLow' },
      }),
    ]);
  });

  it('keeps a sticky acknowledgement when the alarm worsens', () => {
    const before = acked('sticky');
    const t = raise(before, signal({ severity: 'critical', at: T0 + 2 * MINUTE }))!;
    expect(t.alarm.state).toBe('acknowledged');
    expect(t.alarm.ack).toEqual(before.ack);
    expect(t.alarm.severity).toBe('critical');
    expect(t.entries[0]).toMatchObject({ action: 'worsened', from: 'acknowledged', to: 'acknowledged' });
  });

  it('keeps any acknowledgement when the alarm improves', () => {
    const before = acked('normal');
    const t = raise(before, signal({ severity: 'minor', at: T0 + 2 * MINUTE }))!;
    expect(t.alarm).toMatchObject({ state: 'acknowledged', severity: 'minor', sourceSeverity: 'minor' });
    expect(t.alarm.ack).toEqual(before.ack);
    expect(t.entries[0]).toMatchObject({ action: 'improved', details: { severity: 'minor' } });
  });

  it('records a new cause of the same severity as raised, without touching the acknowledgement', () => {
    const before = acked('normal');
    const t = raise(before, signal({ cause: { code: 'upsAlarm', params: {} }, at: T0 + 2 * MINUTE }))!;
    expect(t.alarm).toMatchObject({ state: 'acknowledged', cause: { code: 'upsAlarm' } });
    expect(t.entries[0]).toMatchObject({ action: 'raised', from: 'acknowledged' });
  });

  it('does not change the alarm it is given', () => {
    const before = acked('normal');
    const copy = structuredClone(before);
    raise(before, signal({ severity: 'critical', at: T0 + 2 * MINUTE }));
    expect(before).toEqual(copy);
  });
});

describe('raise on a resolved alarm', () => {
  it('reopens it outstanding, counts the occurrence and forgets a sticky acknowledgement', () => {
    const sticky = acked('sticky');
    const gone = clear(sticky, T0 + 2 * MINUTE)!.alarm;
    const t = raise(gone, signal({ severity: 'critical', at: T0 + 3 * MINUTE }))!;
    expect(t.alarm).toMatchObject({
      state: 'outstanding',
      active: true,
      ack: null,
      severity: 'critical',
      sourceSeverity: 'critical',
      raisedAt: T0,
      lastRaisedAt: T0 + 3 * MINUTE,
      resolvedAt: null,
      occurrences: 2,
      flips: [T0, T0 + 2 * MINUTE, T0 + 3 * MINUTE],
    });
    expect(t.entries).toEqual([
      expect.objectContaining({ action: 'reraised', from: 'resolved', to: 'outstanding' }),
    ]);
  });

  it('reopens an alarm an operator resolved while the source still reports it', () => {
    const manual = resolveManually(opened(), 'seat-1', 'rebooted by hand', T0 + MINUTE).alarm;
    const t = raise(manual, signal({ at: T0 + 2 * MINUTE }))!;
    expect(t.alarm).toMatchObject({ state: 'outstanding', active: true, occurrences: 2 });
  });

  it('refuses a closed alarm: the caller opens a new one', () => {
    const closed = close(resolved(), 'seat-1', null, T0 + 2 * MINUTE).alarm;
    expect(() => raise(closed, signal({ at: T0 + 3 * MINUTE }))).toThrow(RangeError);
  });
});

describe('clear', () => {
  it('resolves an active alarm, keeping it open until closed', () => {
    const t = clear(acked('sticky'), T0 + 5 * MINUTE)!;
    expect(t.alarm).toMatchObject({ state: 'resolved', active: false, resolvedAt: T0 + 5 * MINUTE });
    expect(isOpen(t.alarm)).toBe(true);
    expect(needsAttention(t.alarm)).toBe(false);
    expect(t.entries).toEqual([
      expect.objectContaining({ action: 'cleared', actor: 'engine', from: 'acknowledged', to: 'resolved' }),
    ]);
  });

  it('does nothing to an alarm already cleared', () => {
    expect(clear(resolved(), T0 + 2 * MINUTE)).toBeNull();
  });
});

describe('acknowledge', () => {
  it('records who, when, the trimmed comment and the mode', () => {
    const t = acknowledge(opened(), 'seat-1', '  replacing the battery  ', 'sticky', T0 + MINUTE);
    expect(t.alarm.state).toBe('acknowledged');
    expect(t.alarm.ack).toEqual({
      by: 'seat-1',
      at: T0 + MINUTE,
      comment: 'replacing the battery',
      mode: 'sticky',
      until: null,
    });
    expect(t.entries).toEqual([
      {
        alarmId: 'al-1',
        at: T0 + MINUTE,
        actor: 'seat-1',
        action: 'acknowledged',
        comment: 'replacing the battery',
        from: 'outstanding',
        to: 'acknowledged',
        details: { mode: 'sticky' },
      },
    ]);
  });

  it('requires a comment that is not blank', () => {
    expect(refusal(() => acknowledge(opened(), 'seat-1', '   ', 'normal', T0)).code).toBe('VALIDATION');
  });

  it('refuses a resolved or a closed alarm with CONFLICT', () => {
    const r = resolved();
    expect(refusal(() => acknowledge(r, 'seat-1', 'late', 'normal', T0 + 2 * MINUTE)).code).toBe('CONFLICT');
    const c = close(r, 'seat-1', null, T0 + 2 * MINUTE).alarm;
    expect(refusal(() => acknowledge(c, 'seat-1', 'late', 'normal', T0 + 3 * MINUTE)).code).toBe('CONFLICT');
  });
});

describe('snooze', () => {
  it('acknowledges for a time, with the end recorded', () => {
    const until = T0 + 30 * MINUTE;
    const t = snooze(opened(), 'seat-1', 'known issue', until, T0 + MINUTE);
    expect(t.alarm.state).toBe('snoozed');
    expect(t.alarm.ack).toEqual({
      by: 'seat-1',
      at: T0 + MINUTE,
      comment: 'known issue',
      mode: 'timed',
      until,
    });
    expect(t.entries[0]).toMatchObject({ action: 'snoozed', details: { until } });
  });

  it('requires an end in the future and a comment', () => {
    const a = opened();
    expect(refusal(() => snooze(a, 'seat-1', 'now', T0, T0)).code).toBe('VALIDATION');
    expect(refusal(() => snooze(a, 'seat-1', 'past', T0 - 1, T0)).code).toBe('VALIDATION');
    expect(refusal(() => snooze(a, 'seat-1', '', T0 + MINUTE, T0)).code).toBe('VALIDATION');
  });

  it('refuses a resolved alarm with CONFLICT', () => {
    expect(refusal(() => snooze(resolved(), 'seat-1', 'x', T0 + 9 * MINUTE, T0 + 2 * MINUTE)).code).toBe(
      'CONFLICT',
    );
  });
});

describe('expireSnooze', () => {
  const until = T0 + 30 * MINUTE;
  const snoozed = (): Alarm => snooze(opened(), 'seat-1', 'later', until, T0).alarm;

  it('does nothing before the snooze ends', () => {
    expect(expireSnooze(snoozed(), until - 1)).toBeNull();
  });

  it('makes the alarm outstanding again once the snooze ends', () => {
    const t = expireSnooze(snoozed(), until)!;
    expect(t.alarm).toMatchObject({ state: 'outstanding', ack: null, changedAt: until });
    expect(t.entries).toEqual([
      expect.objectContaining({
        action: 'snoozeExpired',
        actor: 'engine',
        from: 'snoozed',
        to: 'outstanding',
      }),
    ]);
  });

  it('leaves alarms that are not snoozed alone', () => {
    expect(expireSnooze(acked('normal'), until + MINUTE)).toBeNull();
    expect(expireSnooze(opened(), until + MINUTE)).toBeNull();
  });
});

describe('unacknowledge', () => {
  it('takes back an acknowledgement or a snooze', () => {
    const fromAck = unacknowledge(acked('sticky'), 'seat-2', 'not ours', T0 + 2 * MINUTE);
    expect(fromAck.alarm).toMatchObject({ state: 'outstanding', ack: null });
    expect(fromAck.entries[0]).toMatchObject({
      action: 'unacknowledged',
      actor: 'seat-2',
      comment: 'not ours',
      from: 'acknowledged',
      to: 'outstanding',
    });
    const snoozed = snooze(opened(), 'seat-1', 'later', T0 + 30 * MINUTE, T0).alarm;
    expect(unacknowledge(snoozed, 'seat-1', 'now', T0 + MINUTE).alarm.state).toBe('outstanding');
  });

  it('refuses an alarm nobody acknowledged, and a blank comment', () => {
    expect(refusal(() => unacknowledge(opened(), 'seat-1', 'why', T0)).code).toBe('CONFLICT');
    expect(refusal(() => unacknowledge(acked('normal'), 'seat-1', ' ', T0)).code).toBe('VALIDATION');
  });
});

describe('resolveManually', () => {
  it('resolves an event that never clears by itself, with the comment', () => {
    const t = resolveManually(acked('normal'), 'seat-1', 'cold start checked', T0 + 2 * MINUTE);
    expect(t.alarm).toMatchObject({ state: 'resolved', active: false, resolvedAt: T0 + 2 * MINUTE });
    expect(t.entries[0]).toMatchObject({
      action: 'resolved',
      actor: 'seat-1',
      comment: 'cold start checked',
      from: 'acknowledged',
      to: 'resolved',
    });
  });

  it('refuses an alarm already resolved, and a blank comment', () => {
    expect(refusal(() => resolveManually(resolved(), 'seat-1', 'again', T0)).code).toBe('CONFLICT');
    expect(refusal(() => resolveManually(opened(), 'seat-1', '', T0)).code).toBe('VALIDATION');
  });
});

describe('close', () => {
  it('closes a resolved alarm', () => {
    const t = close(resolved(), 'engine', null, T0 + 10 * MINUTE);
    expect(t.alarm).toMatchObject({ state: 'closed', closedAt: T0 + 10 * MINUTE });
    expect(isOpen(t.alarm)).toBe(false);
    expect(t.entries[0]).toMatchObject({ action: 'closed', comment: null, from: 'resolved', to: 'closed' });
  });

  it('refuses an alarm that is not resolved', () => {
    expect(refusal(() => close(opened(), 'seat-1', 'done', T0)).code).toBe('CONFLICT');
    expect(refusal(() => close(acked('sticky'), 'seat-1', 'done', T0)).code).toBe('CONFLICT');
    const closed = close(resolved(), 'seat-1', null, T0 + 2 * MINUTE).alarm;
    expect(refusal(() => close(closed, 'seat-1', null, T0 + 3 * MINUTE)).code).toBe('CONFLICT');
  });
});

describe('assign', () => {
  it('sets and removes the assignee, keeping the state', () => {
    const t = assign(acked('normal'), 'seat-1', { kind: 'person', id: 'alice' }, '  yours ', T0 + 2 * MINUTE);
    expect(t.alarm).toMatchObject({ state: 'acknowledged', assignee: { kind: 'person', id: 'alice' } });
    expect(t.entries[0]).toMatchObject({
      action: 'assigned',
      comment: 'yours',
      details: { assignee: 'person:alice' },
    });
    const back = assign(t.alarm, 'seat-1', null, '', T0 + 3 * MINUTE);
    expect(back.alarm.assignee).toBeNull();
    expect(back.entries[0]).toMatchObject({ comment: null, details: { assignee: null } });
  });

  it('refuses a closed alarm', () => {
    const closed = close(resolved(), 'seat-1', null, T0 + 2 * MINUTE).alarm;
    expect(refusal(() => assign(closed, 'seat-1', { kind: 'team', id: 'noc' }, '', T0)).code).toBe(
      'CONFLICT',
    );
  });
});

describe('changeSeverity', () => {
  it('sets the operator severity and keeps the source one', () => {
    const t = changeSeverity(opened(), 'seat-1', 'minor', 'test rack', T0 + MINUTE);
    expect(t.alarm).toMatchObject({ severity: 'minor', sourceSeverity: 'major' });
    expect(t.entries[0]).toMatchObject({
      action: 'severityChanged',
      comment: 'test rack',
      details: { from: 'major', to: 'minor' },
    });
  });

  it('refuses the severity the alarm already has, and a blank comment', () => {
    expect(refusal(() => changeSeverity(opened(), 'seat-1', 'major', 'same', T0)).code).toBe('VALIDATION');
    expect(refusal(() => changeSeverity(opened(), 'seat-1', 'minor', ' ', T0)).code).toBe('VALIDATION');
  });

  it('keeps the operator severity until the source changes its own', () => {
    const lowered = changeSeverity(opened(), 'seat-1', 'minor', 'test rack', T0 + MINUTE).alarm;
    const sameSeverity = raise(
      lowered,
      signal({ cause: { code: 'upsAlarm', params: {} }, at: T0 + 2 * MINUTE }),
    )!;
    expect(sameSeverity.alarm).toMatchObject({ severity: 'minor', sourceSeverity: 'major' });
    const worse = raise(sameSeverity.alarm, signal({ severity: 'critical', at: T0 + 3 * MINUTE }))!;
    expect(worse.alarm).toMatchObject({ severity: 'critical', sourceSeverity: 'critical' });
    const raised = changeSeverity(opened(), 'seat-1', 'critical', 'customer-facing', T0 + MINUTE).alarm;
    const better = raise(raised, signal({ severity: 'warning', at: T0 + 2 * MINUTE }))!;
    expect(better.alarm).toMatchObject({ severity: 'warning', sourceSeverity: 'warning' });
  });
});

describe('group', () => {
  it('puts the alarm under a parent and releases it, once each', () => {
    const t = group(opened(), 'parent-1', T0 + MINUTE)!;
    expect(t.alarm.parentId).toBe('parent-1');
    expect(t.entries[0]).toMatchObject({
      action: 'grouped',
      actor: 'engine',
      details: { parent: 'parent-1' },
    });
    expect(group(t.alarm, 'parent-1', T0 + 2 * MINUTE)).toBeNull();
    const released = group(t.alarm, null, T0 + 3 * MINUTE)!;
    expect(released.alarm.parentId).toBeNull();
    expect(released.entries[0]).toMatchObject({ details: { parent: null } });
  });
});

describe('flapping', () => {
  const policy: FlapPolicy = { windowMs: 60_000, threshold: 4 };
  const SECOND = 1000;

  /** Opened at T0, then cleared and raised alternately, one flip per `times` entry. */
  function flipped(times: number[]): { alarm: Alarm; actions: string[] } {
    let alarm = opened();
    const actions: string[] = [];
    for (const at of times) {
      const t = alarm.active ? clear(alarm, at, policy)! : raise(alarm, signal({ at }), policy)!;
      alarm = t.alarm;
      actions.push(...t.entries.map((e) => e.action));
    }
    return { alarm, actions };
  }

  it('starts at the threshold of flips in the window', () => {
    const below = flipped([T0 + SECOND, T0 + 2 * SECOND]);
    expect(below.alarm.flapping).toBe(false);
    const at = flipped([T0 + SECOND, T0 + 2 * SECOND, T0 + 3 * SECOND]);
    expect(at.alarm.flapping).toBe(true);
    expect(at.alarm.flips).toHaveLength(4);
    expect(at.actions).toEqual(['cleared', 'reraised', 'cleared', 'flapping']);
  });

  it('does not count flips older than the window', () => {
    const spread = flipped([T0 + 30 * SECOND, T0 + 61 * SECOND, T0 + 62 * SECOND]);
    expect(spread.alarm.flips).toEqual([T0 + 30 * SECOND, T0 + 61 * SECOND, T0 + 62 * SECOND]);
    expect(spread.alarm.flapping).toBe(false);
  });

  it('ends only below half the threshold (hysteresis)', () => {
    const { alarm } = flipped([T0 + SECOND, T0 + 2 * SECOND, T0 + 3 * SECOND]);
    // Three flips in the window: below the threshold of 4, but not below half of it.
    const still = raise(alarm, signal({ at: T0 + 61.5 * SECOND }), policy)!;
    expect(still.alarm.flips).toHaveLength(3);
    expect(still.alarm.flapping).toBe(true);
    expect(still.entries.map((e) => e.action)).toEqual(['reraised']);
    // One flip left in the window: stable again.
    const calm = clear(still.alarm, T0 + 150 * SECOND, policy)!;
    expect(calm.alarm.flips).toEqual([T0 + 150 * SECOND]);
    expect(calm.alarm.flapping).toBe(false);
    expect(calm.entries.map((e) => e.action)).toEqual(['cleared', 'stable']);
  });

  it('settles a flapping alarm whose window emptied, and nothing else', () => {
    const { alarm } = flipped([T0 + SECOND, T0 + 2 * SECOND, T0 + 3 * SECOND]);
    expect(settleFlapping(alarm, T0 + 30 * SECOND, policy)).toBeNull();
    const t = settleFlapping(alarm, T0 + 62.5 * SECOND, policy)!;
    expect(t.alarm).toMatchObject({
      flapping: false,
      flips: [T0 + 3 * SECOND],
      changedAt: T0 + 62.5 * SECOND,
    });
    expect(t.entries).toEqual([expect.objectContaining({ action: 'stable', details: { flips: 1 } })]);
    expect(settleFlapping(opened(), T0 + 10 * MINUTE, policy)).toBeNull();
  });
});

describe('compareAlarms', () => {
  it('orders by severity, then state, then the latest raise, then id', () => {
    const base = opened();
    const make = (id: string, over: Partial<Alarm>): Alarm => ({ ...base, id, ...over });
    const alarms = [
      make('f', { severity: 'minor' }),
      make('e', { severity: 'critical', state: 'resolved' }),
      make('d', { severity: 'critical', state: 'acknowledged' }),
      make('c', { severity: 'critical', state: 'snoozed' }),
      make('b2', { severity: 'critical', lastRaisedAt: T0 }),
      make('b1', { severity: 'critical', lastRaisedAt: T0 }),
      make('a', { severity: 'critical', lastRaisedAt: T0 + MINUTE }),
    ];
    expect([...alarms].sort(compareAlarms).map((a) => a.id)).toEqual(['a', 'b1', 'b2', 'c', 'd', 'e', 'f']);
  });
});

describe('countAlarms', () => {
  it('counts open alarms per severity, and the outstanding ones apart', () => {
    const base = opened();
    const closed = close(resolved(), 'seat-1', null, T0 + 2 * MINUTE).alarm;
    const counts = countAlarms([
      { ...base, id: '1', severity: 'critical' },
      { ...base, id: '2', severity: 'critical', state: 'acknowledged' },
      { ...base, id: '3', severity: 'warning', state: 'resolved' },
      { ...closed, id: '4', severity: 'critical' },
    ]);
    expect(counts).toEqual({
      open: { critical: 2, major: 0, minor: 0, warning: 1, info: 0 },
      outstanding: { critical: 1, major: 0, minor: 0, warning: 0, info: 0 },
    });
  });

  it('worstSeverity picks the worst, or null for none', () => {
    expect(worstSeverity(['info', 'major', 'warning'])).toBe('major');
    expect(worstSeverity([])).toBeNull();
  });
});
