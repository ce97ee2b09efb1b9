/**
 * Single sign-on through the engine (issue 6): a real engine configured with `access.oidc`
 * against a real OpenID provider (oidc-provider, in-process on loopback), reached over the real
 * WebSocket server as a console does: `session.oidcStart` gives the provider's URL, a fetch
 * "browser" logs in and consents there, `session.oidcFinish` signs the seat in with the person
 * the ID token named and the roles its claims map to. A provider login that names a local
 * account is refused; a repeated finish (the console's retry) answers the same person.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configSchema } from '../../electron/engine/config/schema';
import { startEngine, type Engine } from '../../electron/engine/engine';
import { rawText } from '../../electron/engine/server/raw-text';
import { serve, type RunningServer } from '../../electron/engine/server/serve';
import { startOidcProvider, TestBrowser, type OidcProviderHandle } from '../servers/oidc-provider';
import { testLogger } from '../support/test-logger';

let provider: OidcProviderHandle;
let engine: Engine;
let server: RunningServer;
let dataDir = '';

beforeAll(async () => {
  provider = await startOidcProvider({
    clients: [{ clientId: 'vigie' }],
    accounts: {
      carla: { name: 'Carla Peeters', preferred_username: 'carla', groups: ['vigie-oncall'] },
      // The estate's demo operator is a local account: the provider must not take it over.
      operator: { name: 'Impostor', preferred_username: 'operator', groups: ['vigie-oncall'] },
    },
  });
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-oidc-engine-'));
  const config = configSchema.parse({
    estate: true,
    access: {
      oidc: {
        issuer: provider.issuer,
        clientId: 'vigie',
        scopes: ['groups'],
        claims: { roles: { from: ['groups'], map: { 'vigie-oncall': 'oncall' } } },
        timeouts: { signInMs: 30_000 },
      },
    },
  });
  const logger = testLogger('oidc-engine');
  engine = await startEngine({ config, dataDir, version: 'test', logger });
  server = await serve({ engine, host: '127.0.0.1', port: 0, rendererDir: dataDir, logger });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await engine?.stop();
  await provider?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

type Answer = { ok: boolean; value?: unknown; error?: { code: string; reason?: string; message: string } };

async function seat(): Promise<{ call(channel: string, request: unknown): Promise<Answer>; close(): void }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws?token=${server.token}`, {
    origin: server.url,
  });
  const waiting = new Map<number, (a: Answer) => void>();
  let greeted: () => void = () => undefined;
  const hello = new Promise<void>((r) => (greeted = r));
  ws.on('message', (d: WebSocket.RawData) => {
    const m = JSON.parse(rawText(d)) as { type: string; id?: number; envelope?: Answer };
    if (m.type === 'hello') greeted();
    if (m.type === 'result' && m.id !== undefined && m.envelope) waiting.get(m.id)?.(m.envelope);
  });
  await hello;
  let id = 1;
  return {
    call: (channel, request) =>
      new Promise((resolve) => {
        const n = id++;
        waiting.set(n, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id: n, channel, request }));
      }),
    close: () => ws.close(),
  };
}

/** Logs in as `login` on the provider's pages and consents, as the system browser would. */
async function atProvider(url: string, login: string): Promise<void> {
  const browser = new TestBrowser();
  const loginPage = await browser.open(url);
  const consent = await browser.submitForm(loginPage, { login, password: 'any' });
  await browser.submitForm(consent);
}

describe('single sign-on through the engine', () => {
  it('says single sign-on is offered, then signs a seat in with the provider’s person and mapped role', async () => {
    const s = await seat();
    expect(await s.call('session.status', {})).toMatchObject({
      ok: true,
      value: { methods: { oidc: true, password: true } },
    });
    const started = (await s.call('session.oidcStart', {})) as {
      ok: true;
      value: { flowId: string; url: string };
    };
    expect(started.ok).toBe(true);
    expect(new URL(started.value.url).origin).toBe(provider.issuer);
    const finishing = s.call('session.oidcFinish', { flowId: started.value.flowId });
    await atProvider(started.value.url, 'carla');
    expect(await finishing).toMatchObject({
      ok: true,
      value: { session: { state: 'signed-in', person: { id: 'carla', roles: ['oncall'], source: 'oidc' } } },
    });
    expect(await s.call('estate.runScenario', { id: 'restore' })).toMatchObject({ ok: true });
    // The console retries a finish whose request timed out: the same person, not NOT_FOUND.
    expect(await s.call('session.oidcFinish', { flowId: started.value.flowId })).toMatchObject({
      ok: true,
      value: { session: { person: { id: 'carla' } } },
    });
    s.close();
  }, 60_000);

  it('refuses a provider login that names a local account', async () => {
    const s = await seat();
    const started = (await s.call('session.oidcStart', {})) as {
      ok: true;
      value: { flowId: string; url: string };
    };
    const finishing = s.call('session.oidcFinish', { flowId: started.value.flowId });
    await atProvider(started.value.url, 'operator');
    expect(await finishing).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', reason: 'BAD_CREDENTIALS' },
    });
    expect(await s.call('session.status', {})).toMatchObject({ ok: true, value: { state: 'anonymous' } });
    s.close();
  }, 60_000);
});
