/**
 * SSH diagnostics end to end on the training estate: the engine reaches the estate's core switches
 * over real SSH on loopback (ssh2 client and server), through the contract's handlers and the
 * dispatcher (roles, schemas, error codes). First contact refused with the fingerprint of the key
 * the estate keeps in its data folder, confirmation, runs parsed into readings, every built-in
 * template answered as the templates build it, allow-list and injection attempts refused with
 * VALIDATION, the host-key drill refused as HOST_KEY_CHANGED with a hostKeyChanged event, audit
 * entries, and pins and host keys surviving a restart.
 */
import { authenticateAs, testContext } from '../../electron/engine/test-support/call-context';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DiagnosticRunResultView,
  Envelope,
  HostKeyChangedView,
  RequestIn,
  ChannelName,
  Role,
} from '../../shared/api';
import { DuckDbStateStore } from '../../electron/engine/adapters/duckdb/duckdb-state-store';
import { dispatch, type CallContext } from '../../electron/engine/api/dispatch';
import { configSchema } from '../../electron/engine/config/schema';
import { startEngine, storePath, type Engine } from '../../electron/engine/engine';
import { silentLogger } from '../../electron/engine/ports/logger';
import { testLogger } from '../support/test-logger';

const config = configSchema.parse({
  estate: true,
  polling: { deviceIntervalSeconds: 5, serviceIntervalSeconds: 5, timeoutMs: 1500 },
});
const SEAT = 'ws#7 127.0.0.1';
const ctx: CallContext = testContext(['operator'], SEAT);

let engine: Engine;
let dataDir = '';
const changed: HostKeyChangedView[] = [];

async function start(): Promise<void> {
  engine = await startEngine({ config, dataDir, version: 'test', logger: testLogger('diagnostics-estate') });
  engine.onEvent((event, payload) => {
    if (event === 'diagnostics.hostKeyChanged') changed.push(payload as HostKeyChangedView);
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-diagnostics-'));
  await start();
});
afterAll(async () => {
  await engine?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Through the dispatcher, as both transports call: schemas, roles and error codes applied. */
function call<C extends ChannelName>(
  channel: C,
  request: RequestIn<C> | Record<string, unknown>,
  role: Role = 'operator',
): Promise<Envelope<unknown>> {
  return dispatch(
    engine.handlers,
    channel,
    request,
    { name: role === 'operator' ? SEAT : 'wall', session: { token: null } },
    authenticateAs([role]),
    silentLogger,
  );
}

/** The fingerprint `ssh-keygen -l` prints for the host key the estate keeps for `deviceId`. */
async function estateFingerprint(deviceId: string): Promise<string> {
  const text = await readFile(join(dataDir, 'training', 'estate-ssh', `host-${deviceId}_ed25519`), 'utf8');
  const key = ssh2.utils.parseKey(text);
  if (key instanceof Error || Array.isArray(key)) throw new Error('unreadable estate host key');
  return `SHA256:${createHash('sha256').update(key.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
}

function issuesOf(envelope: Envelope<unknown>): { path: string; message: string }[] {
  return envelope.ok ? [] : (envelope.error.issues ?? []);
}

function completed(r: DiagnosticRunResultView): Extract<DiagnosticRunResultView, { status: 'completed' }> {
  if (r.status !== 'completed') throw new Error(`expected completed, got ${JSON.stringify(r)}`);
  return r;
}

const run = (deviceId: string, templateId: string, params: Record<string, string | number> = {}) =>
  engine.handlers['diagnostics.run']({ deviceId, templateId, params }, ctx);

describe('SSH diagnostics on the training estate', () => {
  it('lists each device allow-list: all templates on the primaries, two on the witness, none without SSH', async () => {
    const a = await engine.handlers['diagnostics.templates']({ deviceId: 'a-core-sw' }, ctx);
    expect(a.templates.map((t) => t.id)).toEqual([
      'uptime',
      'disk-usage',
      'interface-counters',
      'interface-stats',
      'service-status',
    ]);
    expect(a.ssh?.user).toBe('vigie');
    expect(a.ssh?.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(a.templates.find((t) => t.id === 'interface-stats')).toMatchObject({
      preview: 'ip -s link show dev <ifname>',
      params: [{ name: 'ifname', type: { kind: 'pattern' } }],
    });
    const w = await engine.handlers['diagnostics.templates']({ deviceId: 'w-core-sw' }, ctx);
    expect(w.templates.map((t) => t.id)).toEqual(['uptime', 'disk-usage']);
    expect(await engine.handlers['diagnostics.templates']({ deviceId: 'a-ups-1' }, ctx)).toEqual({
      deviceId: 'a-ups-1',
      ssh: null,
      templates: [],
    });
    // No secret crosses: the key reference stays in the engine.
    expect(JSON.stringify(a)).not.toContain('file:');
  });

  it('refuses the first contact with HOST_KEY_UNKNOWN and the fingerprint of the estate key', async () => {
    expect((await engine.handlers['diagnostics.hostKey']({ deviceId: 'a-core-sw' }, ctx)).state).toBe(
      'unknown',
    );
    const expected = await estateFingerprint('a-core-sw');
    const r = await run('a-core-sw', 'uptime');
    expect(r).toMatchObject({
      status: 'refused',
      reason: 'HOST_KEY_UNKNOWN',
      commandLine: 'uptime',
      presented: { keyType: 'ssh-ed25519', fingerprint: expected },
      pinned: null,
    });
    const state = await engine.handlers['diagnostics.hostKey']({ deviceId: 'a-core-sw' }, ctx);
    expect(state).toMatchObject({ state: 'unconfirmed', pinned: null, presented: { fingerprint: expected } });
  });

  it('reads a key with probeHostKey, for operators only', async () => {
    const viewer = await call('diagnostics.probeHostKey', { deviceId: 'b-core-sw' }, 'viewer');
    expect(viewer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const probed = await call('diagnostics.probeHostKey', { deviceId: 'b-core-sw' });
    expect(probed).toMatchObject({
      ok: true,
      value: { state: 'unconfirmed', presented: { fingerprint: await estateFingerprint('b-core-sw') } },
    });
  });

  it('pins only the fingerprint the device presented, then runs uptime and df -P into readings', async () => {
    const wrong = await call('diagnostics.confirmHostKey', {
      deviceId: 'a-core-sw',
      fingerprint: `SHA256:${'A'.repeat(43)}`,
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const malformed = await call('diagnostics.confirmHostKey', { deviceId: 'a-core-sw', fingerprint: 'yes' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const fingerprint = await estateFingerprint('a-core-sw');
    const pinned = await engine.handlers['diagnostics.confirmHostKey'](
      { deviceId: 'a-core-sw', fingerprint },
      ctx,
    );
    expect(pinned).toMatchObject({
      state: 'pinned',
      pinned: { fingerprint, pinnedBy: `tester @ ${SEAT}` },
      presented: null,
    });

    const up = completed(await run('a-core-sw', 'uptime'));
    expect(up).toMatchObject({ exitCode: 0, stderr: '', parseError: null, hostKeyFingerprint: fingerprint });
    expect(up.readings.map((x) => x.name)).toEqual(['load_1m', 'load_5m', 'load_15m']);

    const df = completed(await run('a-core-sw', 'disk-usage'));
    expect(df).toMatchObject({ exitCode: 0, commandLine: 'df -P', parseError: null });
    const mounts = df.readings.filter((x) => x.name === 'disk_used_percent').map((x) => x.labels.mount);
    expect(mounts).toEqual(expect.arrayContaining(['/', '/var/log']));
    const root = df.readings.find((x) => x.name === 'disk_used_percent' && x.labels.mount === '/');
    expect(root).toMatchObject({ kind: 'gauge', unit: '%' });
    expect(root?.value).toBeGreaterThan(0);

    // The parsed readings are kept as history too (measurement `diagnostics`).
    const deadline = Date.now() + 10_000;
    let frames: { tags: Record<string, string>; values: (number | null)[] }[] = [];
    while (Date.now() < deadline) {
      const answer = await engine.handlers['metrics.query'](
        {
          source: 'main',
          measurement: 'diagnostics',
          field: 'disk_used_percent',
          where: [{ key: 'device', op: '=', value: 'a-core-sw' }],
          groupBy: ['mount'],
          aggregation: 'raw',
          from: Date.now() - 600_000,
          to: Date.now() + 1000,
          widthPx: 400,
        },
        ctx,
      );
      frames = answer.frames;
      if (frames.some((f) => f.tags.mount === '/' && f.values.some((v) => v !== null))) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const rootFrame = frames.find((f) => f.tags.mount === '/');
    expect(rootFrame?.values.find((v) => v !== null)).toBe(root?.value);
  });

  it('answers every built-in template the way the templates build them', async () => {
    const counters = completed(await run('a-core-sw', 'interface-counters'));
    expect(counters).toMatchObject({ exitCode: 0, parseError: null });
    const rx = counters.readings.find((x) => x.name === 'rx_bytes' && x.labels.interface === 'swp49');
    // 64-bit counters cross as exact decimal strings.
    expect(rx?.kind).toBe('counter');
    expect(rx?.value).toMatch(/^\d+$/);
    expect(BigInt(rx?.value ?? 0)).toBeGreaterThan(2n ** 53n);

    const link = completed(await run('a-core-sw', 'interface-stats', { ifname: 'swp49' }));
    expect(link).toMatchObject({ exitCode: 0, commandLine: 'ip -s link show dev swp49', readings: [] });
    expect(link.stdout).toContain('swp49: <BROADCAST,MULTICAST,UP,LOWER_UP>');

    const ssh = completed(await run('a-core-sw', 'service-status', { unit: 'ssh' }));
    expect(ssh).toMatchObject({
      exitCode: 0,
      commandLine: 'systemctl status --no-pager --full --lines 20 -- ssh',
    });
    expect(ssh.stdout).toContain('Active: active (running)');
    const missing = completed(await run('a-core-sw', 'service-status', { unit: 'nginx' }));
    expect(missing).toMatchObject({ exitCode: 4, stderr: 'Unit nginx.service could not be found.\n' });
  });

  it('refuses a template the device does not allow, and injection attempts, with VALIDATION', async () => {
    const confirmW = await call('diagnostics.probeHostKey', { deviceId: 'w-core-sw' });
    expect(confirmW.ok).toBe(true);
    const notAllowed = await call('diagnostics.run', {
      deviceId: 'w-core-sw',
      templateId: 'interface-counters',
    });
    expect(notAllowed).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(issuesOf(notAllowed)).toEqual([
      { path: 'templateId', message: 'not allowed on this device; allowed: uptime, disk-usage' },
    ]);
    for (const ifname of [
      'swp1; reboot',
      '$(reboot)',
      '`reboot`',
      'swp1\nreboot',
      '-a',
      'swp1 && id',
      "x'y",
    ]) {
      const r = await call('diagnostics.run', {
        deviceId: 'a-core-sw',
        templateId: 'interface-stats',
        params: { ifname },
      });
      expect(r, ifname).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(
        issuesOf(r).map((i) => i.path),
        ifname,
      ).toContain('params.ifname');
    }
    const unknownParam = await call('diagnostics.run', {
      deviceId: 'a-core-sw',
      templateId: 'uptime',
      params: { extra: 'x' },
    });
    expect(unknownParam).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // Strict requests: no free-form field slips through.
    const command = await call('diagnostics.run', {
      deviceId: 'a-core-sw',
      templateId: 'uptime',
      command: 'id',
    });
    expect(command).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const viewer = await call('diagnostics.run', { deviceId: 'a-core-sw', templateId: 'uptime' }, 'viewer');
    expect(viewer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('diagnostics.run', { deviceId: 'nope', templateId: 'uptime' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call('diagnostics.hostKey', { deviceId: 'a-pdu-1' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('refuses a rotated host key with HOST_KEY_CHANGED and raises hostKeyChanged, until confirmed', async () => {
    const old = await estateFingerprint('a-core-sw');
    await engine.handlers['estate.runScenario']({ id: 'a-core-sw-host-key-changed' }, ctx);
    const rotated = await estateFingerprint('a-core-sw');
    expect(rotated).not.toBe(old);

    const r = await run('a-core-sw', 'uptime');
    expect(r).toMatchObject({
      status: 'refused',
      reason: 'HOST_KEY_CHANGED',
      presented: { fingerprint: rotated },
      pinned: { keyType: 'ssh-ed25519', fingerprint: old },
    });
    const event = changed.find((e) => e.deviceId === 'a-core-sw');
    const templates = await engine.handlers['diagnostics.templates']({ deviceId: 'a-core-sw' }, ctx);
    expect(event).toMatchObject({
      endpoint: templates.ssh?.endpoint,
      pinned: { keyType: 'ssh-ed25519', fingerprint: old },
      presented: { keyType: 'ssh-ed25519', fingerprint: rotated },
    });
    const state = await engine.handlers['diagnostics.hostKey']({ deviceId: 'a-core-sw' }, ctx);
    expect(state).toMatchObject({
      state: 'changed',
      pinned: { fingerprint: old },
      presented: { fingerprint: rotated },
    });

    await engine.handlers['diagnostics.confirmHostKey']({ deviceId: 'a-core-sw', fingerprint: rotated }, ctx);
    expect(completed(await run('a-core-sw', 'uptime')).exitCode).toBe(0);
  });

  it('audits with the seat, and keeps pins and host keys across a restart', async () => {
    await engine.stop();
    const store = await DuckDbStateStore.open(storePath(config, dataDir));
    try {
      const entries = await store.list(100);
      const confirm = entries.find((e) => e.action === 'diagnostics.confirmHostKey');
      expect(confirm).toMatchObject({ actor: `tester @ ${SEAT}`, role: 'operator', target: 'a-core-sw' });
      const runs = entries.filter((e) => e.action === 'diagnostics.run');
      expect(runs.length).toBeGreaterThan(5);
      expect(runs.every((e) => e.actor === `tester @ ${SEAT}`)).toBe(true);
      expect(JSON.stringify(entries)).not.toContain('PRIVATE KEY');
    } finally {
      await store.close();
    }
    changed.length = 0;
    await start();
    const state = await engine.handlers['diagnostics.hostKey']({ deviceId: 'a-core-sw' }, ctx);
    expect(state.state).toBe('pinned');
    expect(completed(await run('a-core-sw', 'uptime')).exitCode).toBe(0);
    expect(changed).toEqual([]);
  });
});
