import { describe, expect, it } from 'vitest';
import type { Overview, Tile } from '../../../shared/api';
import type { Alarm } from '../../../shared/domain/alarm';
import { testPrincipal } from '../test-support/call-context';
import { createScope } from './scope';

const tile = (id: string, kind: Tile['kind'], zoneId: string, status: Tile['status']): Tile => ({
  id,
  zoneId,
  kind,
  name: id,
  status,
  condition: 'ok',
  primary: null,
  readings: [],
  lastSampleAt: 1,
  lastAttemptAt: 1,
  lastError: null,
  stale: false,
  intervalMs: 1000,
});

const overview: Overview = {
  revision: 7,
  generatedAt: 0,
  training: true,
  zones: [
    {
      id: 'a',
      name: 'A',
      kind: 'primary',
      status: 'down',
      counts: { down: 1, degraded: 0, unknown: 0, maintenance: 0, up: 2 },
    },
    {
      id: 'b',
      name: 'B',
      kind: 'primary',
      status: 'up',
      counts: { down: 0, degraded: 0, unknown: 0, maintenance: 0, up: 1 },
    },
  ],
  tiles: [
    tile('ups-a', 'ups', 'a', 'down'),
    tile('svc-onem', 'service', 'a', 'up'),
    tile('svc-other', 'service', 'a', 'up'),
    tile('svc-onem-b', 'service', 'b', 'degraded'),
  ],
  counts: { down: 1, degraded: 1, unknown: 0, maintenance: 0, up: 2 },
  status: 'down',
};

const clients: Record<string, string> = { 'svc-onem': 'onem', 'svc-onem-b': 'onem', 'svc-other': 'rsz' };
const alarm = (id: string, kind: Alarm['subject']['kind'], subjectId: string): Alarm => ({
  id,
  key: `key:${id}`,
  origin: 'condition',
  subject: { kind, id: subjectId, zoneId: 'a', name: subjectId },
  cause: { code: 'unreachable', params: {} },
  severity: 'major',
  sourceSeverity: 'major',
  state: 'outstanding',
  active: true,
  ack: null,
  assignee: null,
  raisedAt: 1,
  lastRaisedAt: 1,
  changedAt: 1,
  resolvedAt: null,
  closedAt: null,
  occurrences: 1,
  flips: [1],
  flapping: false,
  parentId: null,
  maintenance: [],
  revision: 1,
});
const alarms = [
  alarm('1', 'device', 'ups-a'),
  alarm('2', 'service', 'svc-onem'),
  alarm('3', 'service', 'svc-other'),
  alarm('4', 'zone', 'a'),
];
const scope = createScope(
  (id) => clients[id] ?? null,
  () => alarms,
);

describe('what a principal sees', () => {
  it('leaves everything to a person who sees every client', () => {
    expect(scope.overview(overview, testPrincipal(['viewer']))).toBe(overview);
  });
  it("shows a scoped person their clients' services only, with counts and zone status of those", () => {
    const mine = scope.overview(overview, testPrincipal(['operator'], 'ines', ['onem']));
    expect(mine.tiles.map((t) => t.id)).toEqual(['svc-onem', 'svc-onem-b']);
    expect(mine.status).toBe('degraded');
    expect(mine.counts).toMatchObject({ down: 0, degraded: 1, up: 1 });
    expect(mine.zones.map((z) => [z.id, z.status])).toEqual([
      ['a', 'up'],
      ['b', 'degraded'],
    ]);
  });
  it('withholds events the principal has no capability for, and every event from a locked seat', () => {
    const viewer = testPrincipal(['viewer']);
    const lockedSeat = { person: viewer.person, capabilities: [], clients: viewer.clients };
    expect(scope.event('overview.changed', overview, lockedSeat)).toBeNull();
    const publisher = testPrincipal(['publisher'], 'pat', ['onem']);
    expect(scope.event('traps.received', {} as never, publisher)).toBeNull();
    expect(scope.event('handover.changed', {} as never, publisher)).toBeNull();
  });
  it('shows a scoped person only alarms about their services, counted among those', () => {
    const p = testPrincipal(['operator'], 'ines', ['onem']);
    const visible = alarms.filter((a) => scope.alarmVisible(a, p));
    expect(visible.map((a) => a.id)).toEqual(['2']);
    const changed = scope.event(
      'alarms.changed',
      { revision: 1, alarms, counts: { open: {} as never, outstanding: {} as never }, escalations: {} },
      p,
    );
    expect(changed?.alarms.map((a) => a.id)).toEqual(['2']);
    expect(changed?.counts.outstanding.major).toBe(1);
  });
});
