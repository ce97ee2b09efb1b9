/** Alarms and shift handovers as the fake engine serves them to renderer tests. */
import type {
  AlarmDetail,
  AlarmList,
  Directory,
  EscalationStatus,
  Handover,
  HandoverDigest,
} from '../../../../shared/api';
import { countAlarms, type Alarm } from '../../../../shared/domain/alarm';
import { ok, type FakeHandlers } from './fake-transport';
import { FIXTURE_NOW } from './fixtures';

const MINUTE = 60_000;

export function alarm(overrides: Partial<Alarm> & Pick<Alarm, 'id'>): Alarm {
  const raisedAt = overrides.raisedAt ?? FIXTURE_NOW - 10 * MINUTE;
  return {
    key: `key:${overrides.id}`,
    origin: 'condition',
    subject: { kind: 'device', id: `device-${overrides.id}`, zoneId: 'a', name: `Device ${overrides.id}` },
    cause: { code: 'unreachable', params: {} },
    severity: 'major',
    sourceSeverity: overrides.severity ?? 'major',
    state: 'outstanding',
    active: true,
    ack: null,
    assignee: null,
    raisedAt,
    lastRaisedAt: raisedAt,
    changedAt: raisedAt,
    resolvedAt: null,
    closedAt: null,
    occurrences: 1,
    flips: [raisedAt],
    flapping: false,
    parentId: null,
    maintenance: [],
    revision: 1,
    ...overrides,
  };
}

/**
 * A power failure in zone A (a parent with two children), a failing service and a snoozed PDU
 * threshold in zone B, a flapping link, a resolved reboot and an alarm of a cause code the
 * console does not know.
 */
export function fixtureAlarms(): Alarm[] {
  return [
    alarm({
      id: 'al-power-a',
      origin: 'correlation',
      key: 'zone:a/power',
      subject: { kind: 'zone', id: 'a', zoneId: 'a', name: 'Zone A' },
      cause: { code: 'zonePowerFailure', params: { zone: 'a' } },
      severity: 'critical',
      raisedAt: FIXTURE_NOW - 5 * MINUTE,
    }),
    alarm({
      id: 'al-ups-a1',
      subject: { kind: 'device', id: 'ups-a1', zoneId: 'a', name: 'UPS A1' },
      cause: { code: 'onBattery', params: {} },
      severity: 'major',
      parentId: 'al-power-a',
      raisedAt: FIXTURE_NOW - 5 * MINUTE + 10_000,
    }),
    alarm({
      id: 'al-sensor-a1',
      subject: { kind: 'device', id: 'sensor-a1', zoneId: 'a', name: 'Cold aisle A1' },
      cause: { code: 'temperatureHigh', params: {} },
      severity: 'minor',
      state: 'acknowledged',
      ack: {
        by: 'alice',
        at: FIXTURE_NOW - 3 * MINUTE,
        comment: 'Cooling restarting',
        mode: 'normal',
        until: null,
      },
      parentId: 'al-power-a',
      raisedAt: FIXTURE_NOW - 4 * MINUTE,
    }),
    alarm({
      id: 'al-web-b',
      subject: { kind: 'service', id: 'web-b', zoneId: 'b', name: 'Web portal B' },
      cause: { code: 'failing', params: {} },
      severity: 'critical',
      assignee: { kind: 'team', id: 'web' },
      raisedAt: FIXTURE_NOW - 2 * MINUTE,
    }),
    alarm({
      id: 'al-pdu-b1',
      origin: 'threshold',
      subject: { kind: 'device', id: 'pdu-b1', zoneId: 'b', name: 'PDU B1' },
      cause: {
        code: 'threshold',
        params: { rule: 'Phase load', reading: 'phaseLoad', value: 14.2, limit: 14 },
      },
      severity: 'major',
      state: 'snoozed',
      ack: {
        by: 'bob',
        at: FIXTURE_NOW - 3 * MINUTE,
        comment: 'Electrician on site',
        mode: 'timed',
        until: FIXTURE_NOW + 12 * MINUTE + 5_000,
      },
      raisedAt: FIXTURE_NOW - 20 * MINUTE,
    }),
    alarm({
      id: 'al-link-a',
      origin: 'trap',
      subject: { kind: 'device', id: 'switch-a1', zoneId: 'a', name: 'Core switch A' },
      cause: { code: 'trap.linkDown', params: { ifName: 'Gi1/0/3', instance: '3' } },
      severity: 'minor',
      flapping: true,
      flips: [FIXTURE_NOW - 9 * MINUTE, FIXTURE_NOW - 7 * MINUTE, FIXTURE_NOW - 5 * MINUTE],
      raisedAt: FIXTURE_NOW - 30 * MINUTE,
      lastRaisedAt: FIXTURE_NOW - 5 * MINUTE,
    }),
    alarm({
      id: 'al-reboot-w',
      origin: 'equipment',
      subject: { kind: 'device', id: 'sensor-w1', zoneId: 'witness', name: 'Witness room' },
      cause: { code: 'reboot', params: {} },
      severity: 'warning',
      state: 'resolved',
      active: false,
      resolvedAt: FIXTURE_NOW - MINUTE,
      raisedAt: FIXTURE_NOW - 40 * MINUTE,
    }),
    alarm({
      id: 'al-odd',
      origin: 'external',
      subject: { kind: 'service', id: 'status-page', zoneId: null, name: 'Status page' },
      cause: { code: 'mysteryCode', params: {} },
      severity: 'info',
      maintenance: ['Provider window'],
      raisedAt: FIXTURE_NOW - 50 * MINUTE,
    }),
  ];
}

export function escalation(overrides: Partial<EscalationStatus> = {}): EscalationStatus {
  return {
    policyId: 'default',
    policyName: 'Default on-call',
    step: 1,
    stepCount: 3,
    cycle: 0,
    nextAt: FIXTURE_NOW + 90_000,
    held: null,
    ...overrides,
  };
}

export function alarmList(alarms: Alarm[] = fixtureAlarms(), overrides: Partial<AlarmList> = {}): AlarmList {
  return {
    revision: 100,
    alarms,
    counts: countAlarms(alarms),
    truncated: false,
    escalations: {
      'al-web-b': escalation(),
      'al-sensor-a1': escalation({ step: 1, nextAt: null, held: 'acknowledged' }),
    },
    ...overrides,
  };
}

export function alarmDetail(target: Alarm, alarms: Alarm[] = fixtureAlarms()): AlarmDetail {
  return {
    alarm: target,
    history: [
      {
        alarmId: target.id,
        at: target.raisedAt,
        actor: 'engine',
        action: 'raised',
        comment: null,
        from: null,
        to: 'outstanding',
        details: { severity: target.severity },
      },
      ...(target.ack
        ? [
            {
              alarmId: target.id,
              at: target.ack.at,
              actor: target.ack.by,
              action: target.ack.mode === 'timed' ? ('snoozed' as const) : ('acknowledged' as const),
              comment: target.ack.comment,
              from: 'outstanding' as const,
              to: target.state,
              details: {},
            },
          ]
        : []),
    ],
    children: alarms.filter((a) => a.parentId === target.id),
    related: target.parentId === null ? [] : alarms.filter((a) => a.id === target.parentId),
    escalation: null,
  };
}

export function fixtureDirectory(): Directory {
  return {
    people: [
      { id: 'alice', name: 'Alice Martin' },
      { id: 'bob', name: 'Bob Peeters' },
    ],
    teams: [
      { id: 'web', name: 'Web platform', members: ['alice'] },
      { id: 'facilities', name: 'Facilities', members: ['bob'] },
    ],
    schedules: [{ id: 'primary', name: 'Primary on-call', onCall: 'bob', until: FIXTURE_NOW + 3_600_000 }],
  };
}

export function handoverDigest(alarms: Alarm[] = fixtureAlarms()): HandoverDigest {
  return {
    at: FIXTURE_NOW,
    counts: countAlarms(alarms),
    outstanding: alarms.filter((a) => a.state === 'outstanding'),
    acknowledged: alarms.filter((a) => a.state === 'acknowledged'),
    snoozed: alarms.filter((a) => a.state === 'snoozed'),
    escalating: alarms
      .filter((a) => a.id === 'al-web-b')
      .map((a) => ({ alarm: a, escalation: escalation() })),
    raisedSince: FIXTURE_NOW - 8 * 3_600_000,
    raisedCount: 11,
  };
}

export function handover(overrides: Partial<Handover> & Pick<Handover, 'id'>): Handover {
  return {
    createdAt: FIXTURE_NOW - 3_600_000,
    createdBy: 'night-seat',
    notes: 'Zone A UPS tests scheduled at 15:00.',
    digest: handoverDigest(),
    acknowledgedAt: null,
    acknowledgedBy: null,
    ...overrides,
  };
}

/** Handlers for every alarm and handover channel, over a mutable list a test can change. */
export function alarmHandlers(alarms: Alarm[] = fixtureAlarms()): FakeHandlers {
  return {
    'alarms.list': () => ok(alarmList(alarms)),
    'alarms.get': ({ id }) => {
      const target = alarms.find((a) => a.id === id);
      return target
        ? ok(alarmDetail(target, alarms))
        : { ok: false, error: { code: 'NOT_FOUND', message: `no alarm ${id}`, correlationId: 'corr-nf' } };
    },
    'alarms.directory': () => ok(fixtureDirectory()),
    'handover.draft': () => ok(handoverDigest(alarms)),
    'handover.list': () => ok({ handovers: [] }),
  };
}
