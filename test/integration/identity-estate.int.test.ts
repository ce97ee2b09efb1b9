/**
 * Identities end to end on the training estate (issue 6): the real engine with its identity
 * service and demo users, served by the real WebSocket server. Each demo role signs in over the
 * socket and gets exactly its capabilities; an action outside them is FORBIDDEN; the operator
 * scoped to eHealth sees eHealth services only, in answers and in pushed events; a wrong password
 * is refused with its reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { capabilitiesOf, type Overview } from '../../shared/api';
import { configSchema } from '../../electron/engine/config/schema';
import { startEngine, type Engine } from '../../electron/engine/engine';
import { DEMO_USERS } from '../../electron/engine/estate/demo-users';
import { serve, type RunningServer } from '../../electron/engine/server/serve';
import { rawText } from '../../electron/engine/server/raw-text';
import { base32Decode, totp } from '../../electron/engine/services/identity/totp';
import { testLogger } from '../support/test-logger';

let engine: Engine;
let server: RunningServer;
let dataDir = '';
const logger = testLogger('identity-estate');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-identity-'));
  const config = configSchema.parse({
    estate: true,
    access: { anonymousViewing: false },
    polling: { deviceIntervalSeconds: 1, serviceIntervalSeconds: 1, timeoutMs: 1500 },
  });
  engine = await startEngine({ config, dataDir, version: 'test', logger });
  server = await serve({ engine, host: '127.0.0.1', port: 0, rendererDir: dataDir, logger });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await engine?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

interface Seat {
  call(
    channel: string,
    request: unknown,
  ): Promise<{ ok: boolean; value?: unknown; error?: { code: string; reason?: string } }>;
  events: { event: string; payload: unknown }[];
  close(): void;
}

async function seat(): Promise<Seat> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws?token=${server.token}`, {
    origin: server.url,
  });
  const waiting = new Map<number, (e: never) => void>();
  const events: { event: string; payload: unknown }[] = [];
  let hello: () => void = () => undefined;
  const greeted = new Promise<void>((r) => (hello = r));
  ws.on('message', (d: WebSocket.RawData) => {
    const m = JSON.parse(rawText(d)) as {
      type: string;
      id?: number;
      envelope?: never;
      event?: string;
      payload?: unknown;
    };
    if (m.type === 'hello') hello();
    if (m.type === 'event') events.push({ event: m.event!, payload: m.payload });
    if (m.type === 'result') waiting.get(m.id!)?.(m.envelope!);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await greeted;
  let id = 1;
  return {
    events,
    call: (channel, request) =>
      new Promise((resolve) => {
        const n = id++;
        waiting.set(n, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id: n, channel, request }));
      }),
    close: () => ws.close(),
  };
}

const demo = (login: string) => {
  const user = DEMO_USERS.find((u) => u.login === login);
  if (!user) throw new Error(`no demo user ${login}`);
  return user;
};

describe('identities on the training estate', () => {
  it('shows nothing to a seat nobody signed in on when anonymous viewing is off', async () => {
    const s = await seat();
    expect(await s.call('overview.get', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' },
    });
    expect(await s.call('session.status', {})).toMatchObject({
      ok: true,
      value: { state: 'anonymous', capabilities: [], anonymousViewing: false, methods: { password: true } },
    });
    s.close();
  });

  it('signs each demo role in with exactly its capabilities', async () => {
    for (const user of DEMO_USERS) {
      const s = await seat();
      const signed = await s.call('session.signIn', {
        method: 'password',
        login: user.login,
        password: user.password,
      });
      expect(signed, user.login).toMatchObject({
        ok: true,
        value: { session: { state: 'signed-in', person: { id: user.login, roles: user.roles } } },
      });
      const status = (await s.call('session.status', {})) as { value: { capabilities: string[] } };
      expect(status.value.capabilities, user.login).toEqual(capabilitiesOf(user.roles, user.clients));
      s.close();
    }
  }, 60_000);

  it('refuses a wrong password with its reason, and an action outside the role with FORBIDDEN', async () => {
    const s = await seat();
    expect(
      await s.call('session.signIn', { method: 'password', login: 'viewer', password: 'not-the-password' }),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', reason: 'BAD_CREDENTIALS' } });
    const viewer = demo('viewer');
    await s.call('session.signIn', { method: 'password', login: viewer.login, password: viewer.password });
    expect(await s.call('overview.get', {})).toMatchObject({ ok: true });
    expect(await s.call('estate.runScenario', { id: 'restore' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const publisher = demo('publisher');
    await s.call('session.signIn', {
      method: 'password',
      login: publisher.login,
      password: publisher.password,
    });
    expect(await s.call('equipment.inventory', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    s.close();
  }, 30_000);

  it("shows the eHealth operator eHealth's services only, in answers and in pushed events", async () => {
    const s = await seat();
    const user = demo('ehealth-operator');
    await s.call('session.signIn', { method: 'password', login: user.login, password: user.password });
    const overview = (await s.call('overview.get', {})) as { ok: true; value: Overview };
    expect(overview.ok).toBe(true);
    const ids = overview.value.tiles.map((t) => t.id).sort();
    expect(ids).toEqual(['a-ehealth', 'b-ehealth']);
    expect(await s.call('equipment.inventory', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // Wait for a pushed overview: it must be cut the same way.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !s.events.some((e) => e.event === 'overview.changed'))
      await new Promise((r) => setTimeout(r, 100));
    const pushed = s.events.filter((e) => e.event === 'overview.changed');
    expect(pushed.length).toBeGreaterThan(0);
    for (const e of pushed)
      expect((e.payload as Overview).tiles.map((t) => t.id).sort()).toEqual(['a-ehealth', 'b-ehealth']);
    expect(s.events.some((e) => e.event === 'traps.received')).toBe(false);
    s.close();
  }, 30_000);

  it('lets an administrator create an account, and withdraw it at once: its seat is signed out on its next request', async () => {
    const admin = demo('admin');
    const a = await seat();
    await a.call('session.signIn', { method: 'password', login: admin.login, password: admin.password });
    expect(
      await a.call('users.create', {
        id: 'new-operator',
        displayName: 'New operator',
        roles: ['operator'],
        clients: ['*'],
        password: 'short',
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'password' }] } });
    expect(
      await a.call('users.create', {
        id: 'new-operator',
        displayName: 'New operator',
        roles: ['operator'],
        clients: ['*'],
        password: 'a long enough passphrase',
      }),
    ).toMatchObject({ ok: true, value: { id: 'new-operator', hasPassword: true, disabled: false } });
    const b = await seat();
    expect(
      await b.call('session.signIn', {
        method: 'password',
        login: 'new-operator',
        password: 'a long enough passphrase',
      }),
    ).toMatchObject({ ok: true });
    expect(await b.call('alarms.list', {})).toMatchObject({ ok: true });
    expect(await b.call('users.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await a.call('users.update', { id: 'new-operator', disabled: true })).toMatchObject({
      ok: true,
      value: { disabled: true },
    });
    expect(await b.call('alarms.list', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' },
    });
    expect(
      await b.call('session.signIn', {
        method: 'password',
        login: 'new-operator',
        password: 'a long enough passphrase',
      }),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', reason: 'DISABLED' } });
    const listed = (await a.call('secrets.list', {})) as {
      ok: boolean;
      value: { unavailable: string | null };
    };
    expect(listed.ok).toBe(true);
    expect(listed.value.unavailable).toMatch(/no secret vault/);
    a.close();
    b.close();
  }, 60_000);

  it('lets a person change their own password and enrol TOTP, which sign-in then asks for', async () => {
    const manager = demo('manager');
    const s = await seat();
    await s.call('session.signIn', { method: 'password', login: manager.login, password: manager.password });
    expect(
      await s.call('session.changePassword', { current: 'not it', next: 'a brand new passphrase' }),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', reason: 'BAD_CREDENTIALS' } });
    expect(
      await s.call('session.changePassword', { current: manager.password, next: 'short' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [{ path: 'next' }] },
    });
    expect(
      await s.call('session.changePassword', { current: manager.password, next: 'a brand new passphrase' }),
    ).toMatchObject({ ok: true, value: { state: 'signed-in' } });
    const begun = (await s.call('session.totpBegin', {})) as {
      ok: true;
      value: { uri: string; secret: string };
    };
    expect(begun.value.uri).toMatch(/^otpauth:\/\/totp\//);
    const secret = base32Decode(begun.value.secret);
    expect(await s.call('session.totpConfirm', { code: totp(secret, Date.now()) })).toMatchObject({
      ok: true,
    });
    await s.call('session.signOut', {});
    expect(
      await s.call('session.signIn', {
        method: 'password',
        login: manager.login,
        password: 'a brand new passphrase',
      }),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', reason: 'TOTP_REQUIRED' } });
    // The next step's code (the one just used for confirming cannot be used twice).
    expect(
      await s.call('session.signIn', {
        method: 'password',
        login: manager.login,
        password: 'a brand new passphrase',
        totp: totp(secret, Date.now() + 30_000),
      }),
    ).toMatchObject({ ok: true, value: { session: { person: { id: 'manager' } } } });
    s.close();
  }, 60_000);
});
