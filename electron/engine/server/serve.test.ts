import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventName, EventPayload, Overview } from '../../../shared/api';
import { VigieError } from '../../../shared/api';
import type { Engine, EventListener } from '../engine';
import { silentLogger } from '../ports/logger';
import { rawText } from './raw-text';
import { serve, type RunningServer } from './serve';
import { countAlarms } from '../../../shared/domain/alarm';
import type { AlarmsChannel } from '../alarms-setup';
import { setupSessions } from '../session-setup';
import { createScope } from '../api/scope';
import { MemoryIdentity } from '../test-support/memory-identity';
import type { AuditEntry } from '../ports/audit-log';

const overview: Overview = {
  revision: 1,
  generatedAt: 0,
  training: true,
  zones: [],
  tiles: [],
  counts: { down: 0, degraded: 0, unknown: 0, maintenance: 0, up: 0 },
  status: 'unknown',
};

const noAlarm = (req: { id: string }) => Promise.reject(new VigieError('NOT_FOUND', `no alarm "${req.id}"`));
const alarmHandlers: Pick<Engine['handlers'], AlarmsChannel> = {
  'alarms.list': () =>
    Promise.resolve({ revision: 0, alarms: [], counts: countAlarms([]), truncated: false, escalations: {} }),
  'alarms.get': noAlarm,
  'alarms.acknowledge': noAlarm,
  'alarms.snooze': noAlarm,
  'alarms.unacknowledge': noAlarm,
  'alarms.resolve': noAlarm,
  'alarms.close': noAlarm,
  'alarms.assign': noAlarm,
  'alarms.setSeverity': noAlarm,
  'alarms.escalate': noAlarm,
  'alarms.history': () => Promise.resolve({ alarms: [], entries: [] }),
  'alarms.directory': () => Promise.resolve({ people: [], teams: [], schedules: [] }),
  'maintenance.list': () => Promise.resolve({ windows: [] }),
  'maintenance.save': () => Promise.reject(new VigieError('CONFLICT', 'not here')),
  'maintenance.delete': noAlarm,
  'handover.draft': () => Promise.reject(new VigieError('CONFLICT', 'not here')),
  'handover.submit': () => Promise.reject(new VigieError('CONFLICT', 'not here')),
  'handover.acknowledge': noAlarm,
  'handover.list': () => Promise.resolve({ handovers: [] }),
};

let now = 1_000_000;
const identity = new MemoryIdentity(() => now);
const person = (id: string, roles: ('operator' | 'viewer' | 'admin')[], clients = ['*']) => ({
  id,
  displayName: id,
  roles,
  clients,
  source: 'local' as const,
  disabled: false,
});
identity.add(person('olivia', ['operator']), 'olivia-password');
identity.add(person('victor', ['viewer']), 'victor-password');
const audited: AuditEntry[] = [];
const sessions = setupSessions({
  identity,
  oidc: null,
  access: { anonymousViewing: true, sessionHours: 12, idleMinutes: 30 },
  audit: {
    append: (e) => {
      audited.push(e);
      return Promise.resolve();
    },
    list: () => Promise.resolve([...audited]),
  },
  clock: { now: () => now, setTimeout: () => () => undefined },
});

const listeners = new Set<EventListener>();
const ran: string[] = [];
const engine: Engine = {
  sessions,
  scope: createScope(
    (id) => (id === 'svc-onem' ? 'onem' : null),
    () => [],
  ),
  alarmSources: { raise: () => undefined, clear: () => undefined },
  training: true,
  version: 'test',
  overview: () => overview,
  onEvent(l) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  stop: () => Promise.resolve(),
  handlers: {
    'app.info': () =>
      Promise.resolve({
        name: 'Vigie',
        version: 'test',
        training: true,
        locale: 'en',
        timeZone: 'Europe/Brussels',
      }),
    'overview.get': () => Promise.resolve(overview),
    'tiles.history': () => Promise.reject(new VigieError('NOT_FOUND', 'no such tile')),
    'estate.scenarios': () => Promise.resolve({ available: true, active: null, scenarios: [] }),
    'estate.runScenario': (req, ctx) => {
      ran.push(`${req.id} by ${ctx.actor}`);
      return Promise.resolve({ available: true, active: { id: req.id, since: 0 }, scenarios: [] });
    },
    'metrics.sources': () => Promise.resolve({ sources: [] }),
    'metrics.catalog': () => Promise.reject(new VigieError('NOT_FOUND', 'no source')),
    'metrics.tagValues': () => Promise.reject(new VigieError('NOT_FOUND', 'no source')),
    'metrics.query': () => Promise.reject(new VigieError('NOT_FOUND', 'no source')),
    'dashboards.list': () => Promise.resolve({ dashboards: [] }),
    'dashboards.get': () => Promise.reject(new VigieError('NOT_FOUND', 'no dashboard')),
    'dashboards.save': () => Promise.reject(new VigieError('NOT_FOUND', 'no dashboard')),
    'dashboards.delete': () => Promise.reject(new VigieError('NOT_FOUND', 'no dashboard')),
    'dashboards.import': () => Promise.resolve({ ok: false as const, issues: [] }),
    'dashboards.export': () => Promise.reject(new VigieError('NOT_FOUND', 'no dashboard')),
    ...sessions.handlers,
    'equipment.inventory': () => Promise.resolve({ zones: [], rooms: [], racks: [], devices: [] }),
    'traps.list': () => Promise.resolve({ events: [], listening: null, notListening: 'disabled' }),
    'equipment.device': (req) => Promise.reject(new VigieError('NOT_FOUND', `no device "${req.id}"`)),
    'diagnostics.templates': (req) => Promise.resolve({ deviceId: req.deviceId, ssh: null, templates: [] }),
    'diagnostics.hostKey': (req) =>
      Promise.reject(new VigieError('NOT_FOUND', `no device "${req.deviceId}"`)),
    'diagnostics.probeHostKey': (req) =>
      Promise.reject(new VigieError('NOT_FOUND', `no device "${req.deviceId}"`)),
    'diagnostics.confirmHostKey': (req) =>
      Promise.reject(new VigieError('NOT_FOUND', `no device "${req.deviceId}"`)),
    'diagnostics.run': (req) => Promise.reject(new VigieError('NOT_FOUND', `no device "${req.deviceId}"`)),
    ...alarmHandlers,
    'audit.query': () => Promise.resolve({ entries: [], nextBeforeSeq: null }),
    'audit.verify': () =>
      Promise.resolve({ ok: true as const, entries: 0, lastAnchorSeq: null, checkedAt: now }),
    'audit.export': () =>
      Promise.resolve({ fileName: 'audit.jsonl', text: '', entries: 0, truncated: false }),
    'users.list': () => Promise.resolve({ accounts: [] }),
    'users.create': () => Promise.reject(new VigieError('CONFLICT', 'not here')),
    'users.update': () => Promise.reject(new VigieError('CONFLICT', 'not here')),
    'users.setPassword': () => Promise.reject(new VigieError('CONFLICT', 'not here')),
    'users.removeTotp': () => Promise.reject(new VigieError('CONFLICT', 'not here')),
    'secrets.list': () => Promise.resolve({ secrets: [], unavailable: 'no vault here' }),
    'secrets.set': () => Promise.reject(new VigieError('CONFLICT', 'not here')),
    'secrets.delete': () => Promise.reject(new VigieError('CONFLICT', 'not here')),
  },
};
const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
  for (const l of listeners) l(event, payload);
};

let server: RunningServer;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-serve-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Vigie</title>');
  server = await serve({
    engine,
    host: '127.0.0.1',
    port: 0,
    rendererDir: dir,
    logger: silentLogger,
    token: 'seat-token',
    operatorKey: 'operator-key',
  });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

type Seat = { ws: WebSocket; messages: unknown[]; next: () => Promise<unknown>; closed: Promise<number> };

function seat(query: string, origin?: string): Promise<Seat> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws${query}`, origin ? { origin } : {});
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  ws.on('message', (d: WebSocket.RawData) => {
    const m: unknown = JSON.parse(rawText(d));
    const w = waiters.shift();
    if (w) w(m);
    else messages.push(m);
  });
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  const next = () =>
    messages.length ? Promise.resolve(messages.shift()) : new Promise<unknown>((r) => waiters.push(r));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, next, closed }));
    ws.once('error', reject);
  });
}

let ids = 1;
async function call(
  s: Seat,
  channel: string,
  request: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  const id = ids++;
  s.ws.send(JSON.stringify({ type: 'invoke', id, channel, request }));
  for (;;) {
    const m = (await s.next()) as {
      type: string;
      id?: number;
      envelope?: { ok: boolean; error?: { code: string } };
    };
    if (m.type === 'result' && m.id === id) return m.envelope!;
  }
}

describe('vigie serve', () => {
  it('closes a seat without the token with 4401', async () => {
    const s = await seat('');
    expect(await s.closed).toBe(4401);
    const wrong = await seat('?token=nope');
    expect(await wrong.closed).toBe(4401);
  });
  it('closes a seat from a foreign origin with 4403', async () => {
    const s = await seat('?token=seat-token', 'http://evil.example');
    expect(await s.closed).toBe(4403);
  });
  it('greets a seat without a session and answers its read-only requests with envelopes', async () => {
    const s = await seat('?token=seat-token', server.url);
    expect(await s.next()).toMatchObject({ type: 'hello', training: true });
    expect(await call(s, 'session.status', {})).toMatchObject({
      ok: true,
      value: { state: 'anonymous', person: null, capabilities: ['view', 'view.infrastructure'] },
    });
    expect(await call(s, 'overview.get', {})).toMatchObject({ ok: true, value: { revision: 1 } });
    expect(await call(s, 'no.such', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call(s, 'tiles.history', { tileId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    s.ws.close();
  });
  it('refuses actions to an anonymous seat (UNAUTHENTICATED) and to a viewer (FORBIDDEN) until an operator signs in', async () => {
    ran.length = 0;
    const s = await seat('?token=seat-token');
    await s.next();
    expect(await call(s, 'estate.runScenario', { id: 'restore' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' },
    });
    expect(
      await call(s, 'session.signIn', { method: 'password', login: 'olivia', password: 'not-hers' }),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', reason: 'BAD_CREDENTIALS' } });
    expect(
      await call(s, 'session.signIn', { method: 'password', login: 'victor', password: 'victor-password' }),
    ).toMatchObject({ ok: true, value: { session: { state: 'signed-in', person: { id: 'victor' } } } });
    expect(await call(s, 'estate.runScenario', { id: 'restore' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await call(s, 'session.signIn', { method: 'password', login: 'olivia', password: 'olivia-password' }),
    ).toMatchObject({ ok: true });
    expect(await call(s, 'estate.runScenario', { id: 'restore' })).toMatchObject({ ok: true });
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatch(/^restore by olivia @ ws#\d+ /);
    s.ws.close();
  });
  it('lets the command line in with the engine key only', async () => {
    const s = await seat('?token=seat-token');
    await s.next();
    expect(await call(s, 'session.signIn', { method: 'key', key: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await call(s, 'session.signIn', { method: 'key', key: 'operator-key' })).toMatchObject({
      ok: true,
      value: { session: { person: { id: 'command-line', source: 'machine' } } },
    });
    expect(await call(s, 'estate.runScenario', { id: 'restore' })).toMatchObject({ ok: true });
    expect(audited.at(-1)).toMatchObject({ action: 'session.signIn', target: 'command-line' });
    s.ws.close();
  });
  it('ends an expired session on its next request, and a locked seat acts only after unlocking', async () => {
    const s = await seat('?token=seat-token');
    await s.next();
    const signed = await call(s, 'session.signIn', {
      method: 'password',
      login: 'olivia',
      password: 'olivia-password',
    });
    expect(signed).toMatchObject({ ok: true });
    expect(await call(s, 'session.lock', {})).toMatchObject({
      ok: true,
      value: { state: 'locked', capabilities: [] },
    });
    expect(await call(s, 'overview.get', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', reason: 'SEAT_LOCKED' },
    });
    expect(await call(s, 'session.unlock', { password: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', reason: 'BAD_CREDENTIALS' },
    });
    expect(await call(s, 'session.unlock', { password: 'olivia-password' })).toMatchObject({
      ok: true,
      value: { state: 'signed-in' },
    });
    now += 3600_000;
    expect(await call(s, 'alarms.acknowledge', { id: 'a', comment: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' },
    });
    expect(await call(s, 'session.status', {})).toMatchObject({ ok: true, value: { state: 'anonymous' } });
    s.ws.close();
  });
  it('resumes a session on a new connection with its token, and not once signed out', async () => {
    const a = await seat('?token=seat-token');
    await a.next();
    const signed = (await call(a, 'session.signIn', {
      method: 'password',
      login: 'olivia',
      password: 'olivia-password',
    })) as { ok: true; value: { resumeToken: string } };
    a.ws.close();
    const b = await seat('?token=seat-token');
    await b.next();
    expect(await call(b, 'session.resume', { token: signed.value.resumeToken })).toMatchObject({
      ok: true,
      value: { state: 'signed-in', person: { id: 'olivia' } },
    });
    expect(await call(b, 'session.signOut', {})).toMatchObject({ ok: true, value: { state: 'anonymous' } });
    expect(await call(b, 'session.resume', { token: signed.value.resumeToken })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' },
    });
    b.ws.close();
  });
  it('pushes engine events to every seat', async () => {
    const a = await seat('?token=seat-token');
    const b = await seat('?token=seat-token');
    await a.next();
    await b.next();
    emit('overview.changed', { ...overview, revision: 2 });
    expect(await a.next()).toMatchObject({
      type: 'event',
      event: 'overview.changed',
      payload: { revision: 2 },
    });
    expect(await b.next()).toMatchObject({
      type: 'event',
      event: 'overview.changed',
      payload: { revision: 2 },
    });
    a.ws.close();
    b.ws.close();
  });
  it('sends a locked seat no events while an open seat gets them', async () => {
    const locked = await seat('?token=seat-token');
    const open = await seat('?token=seat-token');
    await locked.next();
    await open.next();
    await call(locked, 'session.signIn', {
      method: 'password',
      login: 'olivia',
      password: 'olivia-password',
    });
    await call(locked, 'session.lock', {});
    emit('overview.changed', { ...overview, revision: 3 });
    emit('overview.changed', { ...overview, revision: 4 });
    expect(await open.next()).toMatchObject({ event: 'overview.changed', payload: { revision: 3 } });
    expect(await open.next()).toMatchObject({ event: 'overview.changed', payload: { revision: 4 } });
    // The locked seat's next message is the answer to this call, not an event it was sent.
    locked.ws.send(JSON.stringify({ type: 'invoke', id: 999_999, channel: 'session.status', request: {} }));
    expect(await locked.next()).toMatchObject({
      type: 'result',
      id: 999_999,
      envelope: { value: { state: 'locked' } },
    });
    locked.ws.close();
    open.ws.close();
  });
  it('closes a seat that sends something other than an invoke message', async () => {
    const s = await seat('?token=seat-token');
    await s.next();
    s.ws.send('not json');
    expect(await s.closed).toBe(1007);
  });
  it('serves the console with a strict CSP and refuses paths outside it', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe');
    // fetch would normalise the path; a raw request keeps the encoded traversal.
    const raw = (path: string) =>
      new Promise<number>((resolve, reject) => {
        request(`${server.url}${path}`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    expect(await raw('/..%2f..%2fetc%2fpasswd')).toBe(400);
    expect(await raw('/%E0%A4%A')).toBe(400);
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({
      engine: 'running',
      status: 'unknown',
    });
  });
});
