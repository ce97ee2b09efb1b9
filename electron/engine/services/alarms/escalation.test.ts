import { describe, expect, it } from 'vitest';
import {
  acknowledge,
  assign,
  clear,
  openAlarm,
  raise,
  type Alarm,
  type AlarmSignal,
} from '../../../../shared/domain/alarm';
import { onCallScheduleSchema } from '../../../../shared/domain/on-call';
import { alarmsConfigSchema } from '../../config/alarms-schema';
import type { EscalationOutcome } from './alarm-service';
import { Escalation } from './escalation';
import { notificationText } from './notification-text';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Wednesday 4 March 2026, 11:00 in Brussels. */
const T0 = Date.UTC(2026, 2, 4, 10, 0);
const NONE: ReadonlyMap<string, string> = new Map();

const people = [
  { id: 'alice', name: 'Alice Martin', email: 'alice@example.org' },
  { id: 'bob', name: 'Bob Dupont', email: 'bob@example.org' },
  { id: 'carol', name: 'Carol Peeters', email: 'carol@example.org' },
  { id: 'dan', name: 'Dan without mail' },
];
const teams = [{ id: 'noc', name: 'NOC', members: ['alice', 'bob'], email: 'noc@example.org' }];
const schedules = [
  // Alice this week, Bob the next, handing over on Mondays at 08:00 Brussels time.
  onCallScheduleSchema.parse({
    id: 'primary',
    name: 'Primary on call',
    timeZone: 'Europe/Brussels',
    rotations: [
      {
        id: 'weekly',
        start: '2026-03-02T08:00',
        shift: { unit: 'days', count: 7 },
        members: ['alice', 'bob'],
      },
    ],
  }),
  // Nights only: nobody at 11:00.
  onCallScheduleSchema.parse({
    id: 'nights',
    name: 'Night shift',
    timeZone: 'Europe/Brussels',
    rotations: [
      {
        id: 'nightly',
        start: '2026-03-02T20:00',
        shift: { unit: 'days', count: 1 },
        members: ['carol'],
        restrict: { weekdays: [1, 2, 3, 4, 5, 6, 7], from: '20:00', to: '06:00' },
      },
    ],
  }),
];

const twoSteps = {
  steps: [
    { afterMinutes: 0, targets: [{ team: 'noc' }], channels: ['desktop', 'email'] },
    { afterMinutes: 15, targets: [{ person: 'carol' }], channels: ['email', 'webhook:itsm'] },
  ],
};

function escalation(policy: Record<string, unknown> = twoSteps): Escalation {
  const config = alarmsConfigSchema.parse({
    people,
    teams,
    schedules,
    channels: {
      email: { host: 'smtp.example.org', from: 'vigie@example.org' },
      webhooks: [{ id: 'itsm', url: 'https://itsm.example.org/hook' }],
    },
    policies: [{ id: 'default', name: 'Default', ...policy }],
  });
  return new Escalation(
    config,
    () => ({ kind: 'ups', client: null }),
    notificationText('en', 'Europe/Brussels'),
  );
}

function signal(at: number): AlarmSignal {
  return {
    key: 'tile:a-ups-1',
    origin: 'condition',
    subject: { kind: 'device', id: 'a-ups-1', zoneId: 'zone-a', name: 'UPS A1' },
    cause: { code: 'onBattery', params: {} },
    severity: 'major',
    at,
  };
}

function raised(at = T0): Alarm {
  return openAlarm('al-1', signal(at), []).alarm;
}

function acked(at: number, alarm = raised()): Alarm {
  return acknowledge(alarm, 'seat-1', 'on it', 'normal', at).alarm;
}

const keys = (outcome: EscalationOutcome): string[] => outcome.outbox.map((o) => o.key);

describe('Escalation', () => {
  it('fires the first step at once and the second at 15 minutes while still outstanding', () => {
    const e = escalation();
    const alarm = raised();
    const first = e.run([alarm], T0, NONE);
    expect(keys(first)).toEqual(['al-1/0/0/email']);
    expect(first.notified).toEqual([{ alarm, reason: 'escalated', targets: ['NOC'] }]);
    expect(first.history).toEqual([
      {
        alarmId: 'al-1',
        at: T0,
        actor: 'engine',
        action: 'escalated',
        comment: null,
        from: 'outstanding',
        to: 'outstanding',
        details: { policy: 'default', step: 1, cycle: 1, targets: 'NOC', channels: 'desktop, email' },
      },
    ]);
    expect(first.records.at(-1)).toMatchObject({ alarmId: 'al-1', step: 1, cycle: 0, lastFiredAt: T0 });
    expect(e.status(alarm, T0)).toMatchObject({
      step: 1,
      stepCount: 2,
      nextAt: T0 + 15 * MINUTE,
      held: null,
    });

    expect(keys(e.run([alarm], T0 + MINUTE, NONE))).toEqual([]);
    expect(e.run([alarm], T0 + 15 * MINUTE - 1, NONE).history).toEqual([]);
    const second = e.run([alarm], T0 + 15 * MINUTE, NONE);
    expect(keys(second)).toEqual(['al-1/0/1/email', 'al-1/0/1/webhook:itsm']);
    expect(second.notified).toEqual([]);
    expect(second.history).toEqual([
      expect.objectContaining({
        action: 'escalated',
        details: expect.objectContaining({ step: 2, targets: 'Carol Peeters' }) as unknown,
      }),
    ]);
    expect(e.run([alarm], T0 + 60 * MINUTE, NONE).outbox).toEqual([]);
    expect(e.status(alarm, T0 + 60 * MINUTE)).toMatchObject({ step: 2, nextAt: null });
  });

  it('skips a notAcknowledged step once the alarm is acknowledged', () => {
    const e = escalation();
    e.run([raised()], T0, NONE);
    const owned = acked(T0 + 5 * MINUTE);
    expect(e.status(owned, T0 + 5 * MINUTE)?.nextAt).toBeNull();
    const later = e.run([owned], T0 + 15 * MINUTE, NONE);
    expect(later.outbox).toEqual([]);
    expect(later.history).toEqual([]);
    expect(later.records).toEqual([expect.objectContaining({ step: 2, lastFiredAt: T0 })]);
  });

  it('runs a notResolved step although the alarm is acknowledged', () => {
    const e = escalation({
      steps: [twoSteps.steps[0], { ...twoSteps.steps[1], when: 'notResolved' }],
    });
    e.run([raised()], T0, NONE);
    const owned = acked(T0 + 5 * MINUTE);
    const later = e.run([owned], T0 + 15 * MINUTE, NONE);
    expect(keys(later)).toEqual(['al-1/0/1/email', 'al-1/0/1/webhook:itsm']);
    expect(later.history[0]).toMatchObject({ action: 'escalated', from: 'acknowledged' });
  });

  it('repeats the rounds after repeatAfterMinutes while the alarm stays outstanding', () => {
    const e = escalation({ ...twoSteps, repeat: 2, repeatAfterMinutes: 30 });
    const alarm = raised();
    const fired: string[] = [];
    for (const minutes of [0, 15, 44, 45, 60, 89, 90, 105, 200, 400])
      fired.push(...keys(e.run([alarm], T0 + minutes * MINUTE, NONE)).filter((k) => k.endsWith('/email')));
    expect(fired).toEqual([
      'al-1/0/0/email',
      'al-1/0/1/email',
      'al-1/1/0/email',
      'al-1/1/1/email',
      'al-1/2/0/email',
      'al-1/2/1/email',
    ]);
  });

  it('stops repeating once the alarm is acknowledged', () => {
    const e = escalation({ ...twoSteps, repeat: 2, repeatAfterMinutes: 30 });
    const alarm = raised();
    for (const minutes of [0, 15, 45]) e.run([alarm], T0 + minutes * MINUTE, NONE);
    const owned = acked(T0 + 50 * MINUTE);
    for (const minutes of [60, 90, 105, 200])
      expect(e.run([owned], T0 + minutes * MINUTE, NONE).outbox).toEqual([]);
    expect(e.status(owned, T0 + 200 * MINUTE)).toMatchObject({ cycle: 1, step: 2, nextAt: null });
  });

  it('re-notifies an acknowledged, unresolved alarm every N minutes to the first step’s targets', () => {
    const e = escalation({ ...twoSteps, renotifyAcknowledgedAfterMinutes: 60 });
    e.run([raised()], T0, NONE);
    const owned = acked(T0 + 5 * MINUTE);
    // What comes next for the owned alarm is the reminder, shown as such.
    expect(e.status(owned, T0 + 5 * MINUTE)?.nextAt).toBe(T0 + 65 * MINUTE);
    expect(e.run([owned], T0 + 64 * MINUTE, NONE).outbox).toEqual([]);
    const reminder = e.run([owned], T0 + 65 * MINUTE, NONE);
    expect(keys(reminder)).toEqual([`al-1/renotify/${T0 + 5 * MINUTE}/email`]);
    expect(reminder.outbox[0]!.payload).toMatchObject({
      to: ['alice@example.org', 'bob@example.org', 'noc@example.org'],
      text: expect.stringContaining(
        'Reminder: this alarm was acknowledged but is still not resolved.',
      ) as unknown,
    });
    expect(reminder.notified).toEqual([{ alarm: owned, reason: 'renotified', targets: ['NOC'] }]);
    expect(reminder.history).toEqual([expect.objectContaining({ action: 'notified', from: 'acknowledged' })]);
    expect(e.run([owned], T0 + 124 * MINUTE, NONE).outbox).toEqual([]);
    expect(keys(e.run([owned], T0 + 125 * MINUTE, NONE))).toEqual([
      `al-1/renotify/${T0 + 65 * MINUTE}/email`,
    ]);
  });

  it('re-notifies the assignee of an acknowledged alarm when it has one', () => {
    const e = escalation({ ...twoSteps, renotifyAcknowledgedAfterMinutes: 60 });
    e.run([raised()], T0, NONE);
    const owned = assign(
      acked(T0 + 5 * MINUTE),
      'seat-1',
      { kind: 'person', id: 'bob' },
      '',
      T0 + 6 * MINUTE,
    ).alarm;
    const reminder = e.run([owned], T0 + 65 * MINUTE, NONE);
    expect(reminder.outbox[0]!.payload).toMatchObject({ to: ['bob@example.org'] });
    expect(reminder.notified[0]!.targets).toEqual(['Bob Dupont']);
  });

  it('pages whoever is on call in a schedule at that time', () => {
    const policy = { steps: [{ afterMinutes: 0, targets: [{ schedule: 'primary' }], channels: ['email'] }] };
    const thisWeek = escalation(policy).run([raised()], T0, NONE);
    expect(thisWeek.outbox[0]!.payload).toMatchObject({ to: ['alice@example.org'] });
    expect(thisWeek.history[0]!.details.targets).toBe('Alice Martin');
    const nextWeek = escalation(policy).run([raised(T0 + 7 * DAY)], T0 + 7 * DAY, NONE);
    expect(nextWeek.outbox[0]!.payload).toMatchObject({ to: ['bob@example.org'] });
  });

  it('records a failed notification when nobody is on call', () => {
    const policy = {
      steps: [{ afterMinutes: 0, targets: [{ schedule: 'nights' }], channels: ['desktop', 'email'] }],
    };
    const outcome = escalation(policy).run([raised()], T0, NONE);
    expect(outcome.outbox).toEqual([]);
    expect(outcome.history.map((h) => h.action)).toEqual(['escalated', 'notificationFailed']);
    expect(outcome.history[1]).toMatchObject({
      actor: 'engine',
      details: { reason: 'nobody to notify', targets: 'Night shift' },
    });
  });

  it('sends no e-mail to targets without an address', () => {
    const policy = {
      steps: [{ afterMinutes: 0, targets: [{ person: 'dan' }], channels: ['email', 'webhook:itsm'] }],
    };
    expect(keys(escalation(policy).run([raised()], T0, NONE))).toEqual(['al-1/0/0/webhook:itsm']);
  });

  it('holds the escalation of an alarm in maintenance, and runs what fell due once it ends', () => {
    const e = escalation();
    const quiet: Alarm = { ...raised(), maintenance: ['ups-swap'] };
    expect(e.run([quiet], T0, NONE)).toMatchObject({ outbox: [], history: [], notified: [] });
    expect(e.run([quiet], T0 + 20 * MINUTE, NONE).outbox).toEqual([]);
    expect(e.status(quiet, T0 + 20 * MINUTE)).toMatchObject({ held: 'maintenance', nextAt: null, step: 0 });
    const back = e.run([{ ...quiet, maintenance: [] }], T0 + 21 * MINUTE, NONE);
    expect(keys(back)).toEqual(['al-1/0/0/email', 'al-1/0/1/email', 'al-1/0/1/webhook:itsm']);
  });

  it('holds the escalation of a flapping alarm and of an alarm grouped under a parent', () => {
    for (const [over, held] of [
      [{ flapping: true }, 'flapping'],
      [{ parentId: 'parent-1' }, 'grouped'],
    ] as const) {
      const e = escalation();
      const alarm: Alarm = { ...raised(), ...over };
      expect(e.run([alarm], T0 + 30 * MINUTE, NONE).outbox).toEqual([]);
      expect(e.status(alarm, T0 + 30 * MINUTE)).toMatchObject({ held, nextAt: null });
    }
  });

  it('does not escalate a resolved alarm, and finishes the escalation of one that resolves', () => {
    const e = escalation();
    const gone = clear(raised(), T0 + MINUTE)!.alarm;
    expect(e.run([gone], T0 + MINUTE, NONE)).toEqual({ records: [], outbox: [], history: [], notified: [] });
    expect(e.status(gone, T0 + MINUTE)).toMatchObject({ held: 'resolved', nextAt: null });

    const f = escalation();
    f.run([raised()], T0, NONE);
    const cleared = clear(raised(), T0 + 5 * MINUTE)!.alarm;
    const done = f.run([cleared], T0 + 15 * MINUTE, NONE);
    expect(done.outbox).toEqual([]);
    expect(done.records).toEqual([expect.objectContaining({ done: true, step: 1 })]);
  });

  it('fires the next step now when an operator forces it, and not again when it falls due', () => {
    const e = escalation();
    const alarm = raised();
    e.run([alarm], T0, NONE);
    const at = T0 + 2 * MINUTE;
    const forced = e.run([alarm], at, new Map([['al-1', 'seat-1']]));
    expect(keys(forced)).toEqual([`al-1/0/1/manual-${at}/email`, `al-1/0/1/manual-${at}/webhook:itsm`]);
    expect(forced.history).toEqual([
      expect.objectContaining({
        actor: 'seat-1',
        action: 'escalated',
        details: expect.objectContaining({ step: 2 }) as unknown,
      }),
    ]);
    expect(forced.records).toEqual([expect.objectContaining({ step: 2, lastFiredAt: at })]);
    expect(e.run([alarm], T0 + 15 * MINUTE, NONE).outbox).toEqual([]);
  });

  it('writes e-mails to the people’s and teams’ addresses, and webhooks with the alarm', () => {
    const e = escalation();
    const alarm = raised();
    const [mail] = e.run([alarm], T0, NONE).outbox;
    expect(mail).toEqual({
      key: 'al-1/0/0/email',
      alarmId: 'al-1',
      channel: 'email',
      payload: {
        to: ['alice@example.org', 'bob@example.org', 'noc@example.org'],
        subject: expect.stringMatching(/^\[MAJOR\] UPS A1: /) as unknown,
        text: expect.stringContaining('Notified: NOC') as unknown,
        messageId: 'al-1.0.0.email@vigie',
      },
      createdAt: T0,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T0,
      lastError: null,
    });
    const [, hook] = e.run([alarm], T0 + 15 * MINUTE, NONE).outbox;
    expect(hook).toMatchObject({
      key: 'al-1/0/1/webhook:itsm',
      channel: 'webhook:itsm',
      payload: {
        event: 'escalated',
        key: 'al-1/0/1/webhook:itsm',
        alarm: {
          id: 'al-1',
          key: 'tile:a-ups-1',
          severity: 'major',
          state: 'outstanding',
          origin: 'condition',
          raisedAt: new Date(T0).toISOString(),
          assignee: null,
        },
        targets: ['Carol Peeters'],
      },
    });
  });

  it('continues from the recorded step after a restart, sending nothing twice', () => {
    const alarm = raised();
    const before = escalation();
    const first = before.run([alarm], T0, NONE);
    const sent = keys(first);
    // The engine stops here; the store holds what was committed with that batch.
    expect(first.records.at(-1)).toEqual({
      alarmId: 'al-1',
      policyId: 'default',
      cycle: 0,
      step: 1,
      cycleStartedAt: T0,
      lastFiredAt: T0,
      lastRenotifiedAt: null,
      done: false,
    });
    const after = escalation();
    after.restore(first.records);
    expect(after.status(alarm, T0 + 2 * MINUTE)).toMatchObject({ step: 1, nextAt: T0 + 15 * MINUTE });
    for (const minutes of [2, 20, 40]) sent.push(...keys(after.run([alarm], T0 + minutes * MINUTE, NONE)));
    expect(sent).toEqual(['al-1/0/0/email', 'al-1/0/1/email', 'al-1/0/1/webhook:itsm']);
  });

  it('starts a new escalation with new message keys when a resolved alarm comes back', () => {
    const e = escalation();
    const first = raised();
    const sent = keys(e.run([first], T0, NONE));
    const gone = clear(first, T0 + 5 * MINUTE)!.alarm;
    e.run([gone], T0 + 5 * MINUTE, NONE);
    const back = raise(gone, signal(T0 + 60 * MINUTE))!.alarm;
    const again = e.run([back], T0 + 60 * MINUTE, NONE);
    expect(again.history).toEqual([
      expect.objectContaining({
        action: 'escalated',
        details: expect.objectContaining({ step: 1 }) as unknown,
      }),
    ]);
    expect(again.outbox).toHaveLength(1);
    // Each delivery is a new message: a receiver drops a key it has seen.
    expect(sent).not.toContain(again.outbox[0]!.key);
    expect(again.outbox[0]!.payload).not.toMatchObject({ messageId: 'al-1.0.0.email@vigie' });
    expect(again.outbox[0]!.key).toBe('al-1#2/0/0/email');
  });

  it('applies the first policy that matches the alarm', () => {
    const config = alarmsConfigSchema.parse({
      people,
      policies: [
        {
          id: 'critical-only',
          name: 'Critical',
          match: { minSeverity: 'critical' },
          steps: [{ afterMinutes: 0, targets: [{ person: 'alice' }], channels: ['desktop'] }],
        },
        {
          id: 'zone-b',
          name: 'Zone B',
          match: { zones: ['zone-b'] },
          steps: [{ afterMinutes: 0, targets: [{ person: 'bob' }], channels: ['desktop'] }],
        },
        {
          id: 'ups',
          name: 'UPS',
          match: { kinds: ['ups'] },
          steps: [{ afterMinutes: 0, targets: [{ person: 'carol' }], channels: ['desktop'] }],
        },
      ],
    });
    const e = new Escalation(
      config,
      (a) => ({ kind: a.subject.id.includes('ups') ? 'ups' : 'switch', client: null }),
      notificationText('en', 'Europe/Brussels'),
    );
    expect(e.policyFor(raised())?.id).toBe('ups');
    expect(e.policyFor({ ...raised(), severity: 'critical' })?.id).toBe('critical-only');
    const sw = {
      ...raised(),
      subject: { kind: 'device' as const, id: 'a-sw-1', zoneId: 'zone-a', name: 'Switch' },
    };
    expect(e.policyFor(sw)).toBeNull();
    expect(e.run([sw], T0, NONE).records).toEqual([]);
  });
});
