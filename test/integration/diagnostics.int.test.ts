/**
 * The diagnostics service end to end on a real sshd: the first contact is refused with the
 * fingerprint `ssh-keygen -l` prints, an operator confirms it (pinned in DuckDB, audited), runs
 * then succeed and parse; exit codes, stderr, timeouts, the output cap, abort, a wrong key and a
 * changed host key (sshd restarted on the same port with a new key) each end as they should.
 * Only allow-listed templates are run: the built-in ones, plus test templates defined as data.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStateStore } from '../../electron/engine/adapters/duckdb/duckdb-state-store';
import { Ssh2RemoteShell } from '../../electron/engine/adapters/ssh/ssh2-remote-shell';
import { systemClock } from '../../electron/engine/ports/clock';
import { silentLogger } from '../../electron/engine/ports/logger';
import { UpstreamError } from '../../electron/engine/ports/upstream-error';
import {
  DiagnosticsService,
  type DiagnosticRunResult,
  type DiagnosticsDevice,
} from '../../electron/engine/services/diagnostics/diagnostics-service';
import {
  HostKeyTrust,
  type HostKeyChangedEvent,
} from '../../electron/engine/services/diagnostics/host-key-trust';
import {
  BUILT_IN_TEMPLATES,
  type CommandTemplate,
} from '../../electron/engine/services/diagnostics/templates';
import { skipReason, waitFor, withSkipReason } from '../servers/common';
import { SSHD_REQUIREMENTS, startSshd, type SshdHandle } from '../servers/sshd';
import { newEd25519KeyPair } from '../../electron/engine/adapters/ssh/ed25519-key';

const sshdSkip = skipReason('sshd', SSHD_REQUIREMENTS);
const OPERATOR = { seat: 'desktop', role: 'operator' };

/** Test templates: data like the built-ins, allow-listed on the test device only. */
const TEST_TEMPLATES: CommandTemplate[] = [
  {
    id: 'test-sleep',
    titleKey: 'test.sleep',
    params: [{ name: 'seconds', titleKey: 'test.seconds', type: { kind: 'integer', min: 1, max: 60 } }],
    argv: ['sleep', { param: 'seconds' }],
    timeoutMs: 1_000,
    maxOutputBytes: 1_024,
  },
  {
    id: 'test-pid-then-sleep',
    titleKey: 'test.pidSleep',
    params: [],
    argv: ['sh', '-c', 'echo $$; exec sleep 30'],
    timeoutMs: 60_000,
    maxOutputBytes: 1_024,
  },
  {
    id: 'test-flood',
    titleKey: 'test.flood',
    params: [],
    argv: ['yes', 'vigie'],
    timeoutMs: 30_000,
    maxOutputBytes: 8_192,
  },
];

function completed(r: DiagnosticRunResult): Extract<DiagnosticRunResult, { status: 'completed' }> {
  if (r.status !== 'completed') throw new Error(`expected completed, got ${r.status}`);
  return r;
}

async function upstreamFailure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (err: unknown) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected an UpstreamError');
}

describe.skipIf(sshdSkip !== undefined)(withSkipReason('DiagnosticsService on sshd', sshdSkip), () => {
  let server: SshdHandle;
  let store: DuckDbStateStore;
  let service: DiagnosticsService;
  let trust: HostKeyTrust;
  const changed: HostKeyChangedEvent[] = [];
  const wrongKey = newEd25519KeyPair().private;
  const never = { signal: new AbortController().signal };

  beforeAll(async () => {
    server = await startSshd();
    store = await DuckDbStateStore.open(':memory:');
    trust = new HostKeyTrust(store, store, systemClock, silentLogger);
    trust.onHostKeyChanged((e) => changed.push(e));
    const ssh = (keySecret: string, templates: string[]) => ({
      port: server.port,
      user: server.user,
      keySecret,
      templates,
    });
    const devices: DiagnosticsDevice[] = [
      {
        id: 'lab-host',
        address: server.host,
        ssh: ssh('env:LAB_KEY', [...BUILT_IN_TEMPLATES.map((t) => t.id), ...TEST_TEMPLATES.map((t) => t.id)]),
      },
      { id: 'lab-wrong-key', address: server.host, ssh: ssh('env:WRONG_KEY', ['uptime']) },
    ];
    const secrets: Record<string, string> = { 'env:LAB_KEY': server.privateKey, 'env:WRONG_KEY': wrongKey };
    service = new DiagnosticsService(
      devices,
      {
        shell: new Ssh2RemoteShell(),
        trust,
        audit: store,
        clock: systemClock,
        logger: silentLogger,
        secrets: { resolve: (ref) => Promise.resolve(secrets[ref] ?? '') },
      },
      { templates: [...BUILT_IN_TEMPLATES, ...TEST_TEMPLATES] },
    );
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('refuses the first contact with HOST_KEY_UNKNOWN and the fingerprint ssh-keygen prints', async () => {
    const r = await service.run({ deviceId: 'lab-host', templateId: 'uptime' }, OPERATOR, never);
    expect(r).toMatchObject({
      status: 'refused',
      reason: 'HOST_KEY_UNKNOWN',
      presented: { type: 'ssh-ed25519', fingerprint: server.hostKeyFingerprint },
    });
    expect(server.process.logs()).not.toMatch(/Accepted publickey/);
  });

  it('runs once the operator confirmed the fingerprint: pinned in the store, audited, parsed', async () => {
    const pin = await service.confirmHostKey('lab-host', server.hostKeyFingerprint, OPERATOR);
    expect(await store.getHostKeyPin('lab-host')).toEqual(pin);

    const r = completed(await service.run({ deviceId: 'lab-host', templateId: 'uptime' }, OPERATOR, never));
    expect(r).toMatchObject({ exitCode: 0, commandLine: 'uptime', parseError: null });
    expect(r.readings.map((x) => x.name)).toEqual(['load_1m', 'load_5m', 'load_15m']);

    const actions = (await store.list(10)).map((e) => e.action);
    expect(actions).toEqual(['diagnostics.run', 'diagnostics.confirmHostKey', 'diagnostics.run']);
  });

  it('parses df -P into used % per mount, and /proc/net/dev into exact counters', async () => {
    const df = completed(
      await service.run({ deviceId: 'lab-host', templateId: 'disk-usage' }, OPERATOR, never),
    );
    const root = df.readings.find((x) => x.name === 'disk_used_percent' && x.labels.mount === '/');
    expect(root?.value).toEqual(expect.any(Number));
    const net = completed(
      await service.run({ deviceId: 'lab-host', templateId: 'interface-counters' }, OPERATOR, never),
    );
    const lo = net.readings.find((x) => x.name === 'rx_bytes' && x.labels.interface === 'lo');
    expect(typeof lo?.value).toBe('bigint');
  });

  it('returns a non-zero exit code with stderr apart (ip on a missing interface)', async () => {
    const r = completed(
      await service.run(
        { deviceId: 'lab-host', templateId: 'interface-stats', params: { ifname: 'vigie-none0' } },
        OPERATOR,
        never,
      ),
    );
    expect(r.commandLine).toBe('ip -s link show dev vigie-none0');
    expect(r.exitCode).not.toBe(0);
    expect(r.exitCode).not.toBeNull();
    expect(r.stderr).toMatch(/vigie-none0/);
    expect(r.stdout).toBe('');
  });

  it('fails a slow command with TIMEOUT at the template deadline', async () => {
    const err = await upstreamFailure(
      service.run(
        { deviceId: 'lab-host', templateId: 'test-sleep', params: { seconds: 30 } },
        OPERATOR,
        never,
      ),
    );
    expect(err.code).toBe('TIMEOUT');
  });

  it('cuts an endless output at the template cap and flags it', async () => {
    const r = completed(
      await service.run({ deviceId: 'lab-host', templateId: 'test-flood' }, OPERATOR, never),
    );
    expect(r.truncated).toBe(true);
    expect(r.stdout).toHaveLength(8_192);
  });

  it('aborts mid-run: ABORTED and the remote process gone', async () => {
    const controller = new AbortController();
    let pid = 0;
    const err = await upstreamFailure(
      service.run({ deviceId: 'lab-host', templateId: 'test-pid-then-sleep' }, OPERATOR, {
        signal: controller.signal,
        onOutput: (o) => {
          pid = Number(o.text.trim());
          controller.abort();
        },
      }),
    );
    expect(err.code).toBe('ABORTED');
    expect(pid).toBeGreaterThan(0);
    await waitFor(() => Promise.resolve(!existsSync(`/proc/${pid}`)), {
      what: `remote process ${pid} ended`,
      deadlineMs: 5_000,
    });
  });

  it('fails with AUTH when the device key is not authorized', async () => {
    await service.probeHostKey('lab-wrong-key', never.signal);
    await service.confirmHostKey('lab-wrong-key', server.hostKeyFingerprint, OPERATOR);
    const err = await upstreamFailure(
      service.run({ deviceId: 'lab-wrong-key', templateId: 'uptime' }, OPERATOR, never),
    );
    expect(err.code).toBe('AUTH');
  });

  it('refuses a changed host key after sshd restarts with a new one, and raises hostKeyChanged', async () => {
    const pinned = server.hostKeyFingerprint;
    const port = server.port;
    await server.stop();
    server = await startSshd({ port });
    expect(server.hostKeyFingerprint).not.toBe(pinned);

    const r = await service.run({ deviceId: 'lab-host', templateId: 'uptime' }, OPERATOR, never);
    expect(r).toMatchObject({
      status: 'refused',
      reason: 'HOST_KEY_CHANGED',
      presented: { fingerprint: server.hostKeyFingerprint },
      pinned: { fingerprint: pinned },
    });
    expect(changed).toEqual([
      expect.objectContaining({
        deviceId: 'lab-host',
        pinned: expect.objectContaining({ fingerprint: pinned }) as unknown,
        presented: expect.objectContaining({ fingerprint: server.hostKeyFingerprint }) as unknown,
      }),
    ]);
    expect(server.process.logs()).not.toMatch(/(Accepted|Failed) publickey/);
    expect((await store.getHostKeyPin('lab-host'))?.fingerprint).toBe(pinned);
  });
});
