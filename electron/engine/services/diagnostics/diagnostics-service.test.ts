import { describe, expect, it } from 'vitest';
import { VigieError } from '../../../../shared/api';
import type { AuditEntry, AuditLog } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import type { HostKeyPin, HostKeyPinStore } from '../../ports/host-key-pins';
import { silentLogger } from '../../ports/logger';
import {
  HostKeyRefusedError,
  posixCommandLine,
  type HostKeyCheck,
  type PresentedHostKey,
  type RemoteCommand,
  type RemoteCommandResult,
  type RemoteShell,
  type RemoteTarget,
  type SshEndpoint,
} from '../../ports/remote-shell';
import { UpstreamError } from '../../ports/upstream-error';
import {
  DiagnosticsService,
  type DiagnosticOutput,
  type DiagnosticsDevice,
  type DiagnosticRunResult,
} from './diagnostics-service';
import { HostKeyTrust, type HostKeyChangedEvent } from './host-key-trust';
import type { CommandTemplate } from './templates';

const KEY_A: PresentedHostKey = {
  type: 'ssh-ed25519',
  fingerprint: 'SHA256:AAAAkeyA',
  publicKey: 'QUFBQQ==',
};
const KEY_B: PresentedHostKey = {
  type: 'ssh-ed25519',
  fingerprint: 'SHA256:BBBBkeyB',
  publicKey: 'QkJCQg==',
};
const SECRET_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nVERY-SECRET\n-----END OPENSSH PRIVATE KEY-----\n';
const OPERATOR = { seat: 'desktop', role: 'operator' };
const UPTIME_OUT = ' 14:02:11 up 41 days,  3:07,  2 users,  load average: 0.52, 0.58, 0.59\n';

class MemoryPins implements HostKeyPinStore {
  readonly pins = new Map<string, HostKeyPin>();
  getHostKeyPin(deviceId: string): Promise<HostKeyPin | null> {
    return Promise.resolve(this.pins.get(deviceId) ?? null);
  }
  listHostKeyPins(): Promise<HostKeyPin[]> {
    return Promise.resolve([...this.pins.values()]);
  }
  saveHostKeyPin(pin: HostKeyPin): Promise<void> {
    this.pins.set(pin.deviceId, pin);
    return Promise.resolve();
  }
  deleteHostKeyPin(deviceId: string): Promise<boolean> {
    return Promise.resolve(this.pins.delete(deviceId));
  }
}

class MemoryAudit implements AuditLog {
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
  list(limit: number): Promise<AuditEntry[]> {
    return Promise.resolve(this.entries.slice(-limit).reverse());
  }
}

/** Behaves as the adapter does: asks the check, refuses before "authenticating" unless trusted. */
class FakeShell implements RemoteShell {
  presented = KEY_A;
  readonly runs: { target: RemoteTarget; command: RemoteCommand }[] = [];
  respond: (command: RemoteCommand) => Promise<Partial<RemoteCommandResult>> = () =>
    Promise.resolve({ stdout: UPTIME_OUT });

  async run(
    target: RemoteTarget,
    command: RemoteCommand,
    check: HostKeyCheck,
    signal: AbortSignal,
  ): Promise<RemoteCommandResult> {
    const verdict = await check(this.presented);
    if (verdict !== 'trusted')
      throw new HostKeyRefusedError(
        'ssh://fake',
        verdict === 'unknown' ? 'HOST_KEY_UNKNOWN' : 'HOST_KEY_CHANGED',
        this.presented,
      );
    if (signal.aborted) throw new UpstreamError('ssh://fake', 'ABORTED', 'aborted');
    this.runs.push({ target, command });
    const partial = await this.respond(command);
    if (partial.stdout) command.onOutput?.({ stream: 'stdout', text: partial.stdout });
    return {
      commandLine: posixCommandLine(command.argv),
      exitCode: 0,
      signal: null,
      stdout: '',
      stderr: '',
      truncated: false,
      durationMs: 12,
      hostKey: this.presented,
      ...partial,
    };
  }

  readonly probes: SshEndpoint[] = [];
  probeHostKey(endpoint: SshEndpoint): Promise<PresentedHostKey> {
    this.probes.push(endpoint);
    return Promise.resolve(this.presented);
  }
}

function clockAt(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, setTimeout: () => () => undefined, advance: (ms) => (now += ms) };
}

const DEVICES: DiagnosticsDevice[] = [
  {
    id: 'a-core-sw',
    address: '10.0.0.2',
    ssh: {
      port: 22,
      user: 'vigie',
      keySecret: 'env:A_CORE_SW_KEY',
      templates: ['uptime', 'disk-usage', 'service-status', 'interface-counters'],
    },
  },
  { id: 'a-ups-1', address: '10.0.0.3' },
  {
    id: 'lab-pw',
    address: 'lab.example',
    ssh: { port: 2222, user: 'ops', passwordSecret: 'env:LAB_PW', templates: ['uptime'] },
  },
];

function setUp(options: { templates?: readonly CommandTemplate[]; secrets?: Record<string, string> } = {}) {
  const pins = new MemoryPins();
  const audit = new MemoryAudit();
  const clock = clockAt(Date.UTC(2025, 5, 1, 8, 0, 0));
  const shell = new FakeShell();
  const trust = new HostKeyTrust(pins, audit, clock, silentLogger);
  const secrets = options.secrets ?? { 'env:A_CORE_SW_KEY': SECRET_KEY, 'env:LAB_PW': 'hunter2' };
  const resolved: string[] = [];
  const service = new DiagnosticsService(
    DEVICES,
    {
      shell,
      trust,
      audit,
      clock,
      logger: silentLogger,
      secrets: {
        resolve: (ref) => {
          resolved.push(ref);
          const value = secrets[ref];
          return value === undefined
            ? Promise.reject(new Error(`secret ${ref}: not set`))
            : Promise.resolve(value);
        },
      },
    },
    options.templates ? { templates: options.templates } : {},
  );
  return { pins, audit, clock, shell, trust, service, resolved };
}

const never = { signal: new AbortController().signal };

function pinnedSetUp() {
  const env = setUp();
  env.pins.pins.set('a-core-sw', {
    deviceId: 'a-core-sw',
    keyType: KEY_A.type,
    fingerprint: KEY_A.fingerprint,
    publicKey: KEY_A.publicKey,
    endpoint: '10.0.0.2:22',
    pinnedAt: 0,
    pinnedBy: 'desktop',
  });
  return env;
}

function completed(r: DiagnosticRunResult): Extract<DiagnosticRunResult, { status: 'completed' }> {
  if (r.status !== 'completed') throw new Error(`expected completed, got ${r.status}`);
  return r;
}

async function vigieError(promise: Promise<unknown>): Promise<VigieError> {
  try {
    await promise;
  } catch (err: unknown) {
    if (err instanceof VigieError) return err;
    throw err;
  }
  throw new Error('expected a VigieError');
}

describe('DiagnosticsService host key pinning', () => {
  it('refuses the first contact with HOST_KEY_UNKNOWN and the presented key, without running', async () => {
    const { service, shell, trust } = setUp();
    const r = await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never);
    expect(r).toMatchObject({ status: 'refused', reason: 'HOST_KEY_UNKNOWN', presented: KEY_A });
    expect(shell.runs).toHaveLength(0);
    expect((await trust.state('a-core-sw')).offered?.key).toEqual(KEY_A);
  });

  it('pins the presented key once an operator confirms its fingerprint (audited), then runs', async () => {
    const { service, pins, audit } = setUp();
    await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never);
    const pin = await service.confirmHostKey('a-core-sw', KEY_A.fingerprint, OPERATOR);
    expect(pin).toMatchObject({ deviceId: 'a-core-sw', fingerprint: KEY_A.fingerprint, pinnedBy: 'desktop' });
    expect(pins.pins.get('a-core-sw')?.fingerprint).toBe(KEY_A.fingerprint);
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'diagnostics.confirmHostKey',
      actor: 'desktop',
      role: 'operator',
      target: 'a-core-sw',
      details: { fingerprint: KEY_A.fingerprint, replaces: null, endpoint: '10.0.0.2:22' },
    });
    const r = completed(await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never));
    expect(r.hostKeyFingerprint).toBe(KEY_A.fingerprint);
  });

  it('refuses to pin a fingerprint the device did not present, or when nothing was presented', async () => {
    const { service, pins } = setUp();
    expect((await vigieError(service.confirmHostKey('a-core-sw', KEY_A.fingerprint, OPERATOR))).code).toBe(
      'CONFLICT',
    );
    await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never);
    expect((await vigieError(service.confirmHostKey('a-core-sw', KEY_B.fingerprint, OPERATOR))).code).toBe(
      'CONFLICT',
    );
    expect(pins.pins.size).toBe(0);
  });

  it('lets an offer expire: a fingerprint seen long ago must be read again', async () => {
    const { service, clock } = setUp();
    await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never);
    clock.advance(16 * 60_000);
    expect((await vigieError(service.confirmHostKey('a-core-sw', KEY_A.fingerprint, OPERATOR))).code).toBe(
      'CONFLICT',
    );
  });

  it('probes the key without running anything, so it can be confirmed before the first run', async () => {
    const { service, shell } = setUp();
    const state = await service.probeHostKey('a-core-sw', never.signal);
    expect(state).toMatchObject({ pinned: null, offered: { key: KEY_A, endpoint: '10.0.0.2:22' } });
    expect(shell.probes[0]).toMatchObject({ host: '10.0.0.2', port: 22 });
    await service.confirmHostKey('a-core-sw', KEY_A.fingerprint, OPERATOR);
    expect((await service.hostKeyState('a-core-sw')).pinned?.fingerprint).toBe(KEY_A.fingerprint);
  });

  it('refuses a changed key with HOST_KEY_CHANGED and raises hostKeyChanged for the alarm engine', async () => {
    const { service, shell, trust } = pinnedSetUp();
    const events: HostKeyChangedEvent[] = [];
    trust.onHostKeyChanged(() => {
      throw new Error('a broken listener does not stop the others');
    });
    trust.onHostKeyChanged((e) => events.push(e));
    shell.presented = KEY_B;
    const r = await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never);
    expect(r).toMatchObject({
      status: 'refused',
      reason: 'HOST_KEY_CHANGED',
      presented: KEY_B,
      pinned: { fingerprint: KEY_A.fingerprint },
    });
    expect(shell.runs).toHaveLength(0);
    expect(events).toEqual([
      {
        deviceId: 'a-core-sw',
        endpoint: '10.0.0.2:22',
        pinned: { keyType: KEY_A.type, fingerprint: KEY_A.fingerprint },
        presented: KEY_B,
        at: expect.any(Number) as number,
      },
    ]);
  });

  it('re-pins after a key rotation only by confirmation, recording the key it replaces', async () => {
    const { service, shell, audit, pins } = pinnedSetUp();
    shell.presented = KEY_B;
    await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never);
    expect(pins.pins.get('a-core-sw')?.fingerprint).toBe(KEY_A.fingerprint);
    await service.confirmHostKey('a-core-sw', KEY_B.fingerprint, OPERATOR);
    expect(audit.entries.at(-1)?.details).toMatchObject({ replaces: KEY_A.fingerprint });
    expect(
      completed(await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never)).status,
    ).toBe('completed');
  });

  it('asks the server for the pinned key type', async () => {
    const { service, shell } = pinnedSetUp();
    await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never);
    expect(shell.runs[0]?.target.hostKeyType).toBe('ssh-ed25519');
  });

  it('forgets a pin (audited)', async () => {
    const { service, audit, pins } = pinnedSetUp();
    expect(await service.forgetHostKey('a-core-sw', OPERATOR)).toBe(true);
    expect(pins.pins.size).toBe(0);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'diagnostics.forgetHostKey', target: 'a-core-sw' });
    expect(await service.forgetHostKey('a-core-sw', OPERATOR)).toBe(false);
  });
});

describe('DiagnosticsService runs', () => {
  it('audits each run before it starts (who, device, template, parameters, command), never the secret', async () => {
    const { service, audit, shell } = pinnedSetUp();
    let auditedBeforeRun = false;
    shell.respond = () => {
      auditedBeforeRun = audit.entries.some((e) => e.action === 'diagnostics.run');
      return Promise.resolve({ stdout: 'ok\n' });
    };
    const r = completed(
      await service.run(
        { deviceId: 'a-core-sw', templateId: 'service-status', params: { unit: 'nginx.service' } },
        OPERATOR,
        never,
      ),
    );
    expect(auditedBeforeRun).toBe(true);
    expect(audit.entries[0]).toMatchObject({
      actor: 'desktop',
      role: 'operator',
      action: 'diagnostics.run',
      target: 'a-core-sw',
      details: {
        runId: r.runId,
        template: 'service-status',
        parameters: '{"unit":"nginx.service"}',
        command: 'systemctl status --no-pager --full --lines 20 -- nginx.service',
      },
    });
    expect(JSON.stringify(audit.entries)).not.toContain('VERY-SECRET');
    expect(JSON.stringify(r)).not.toContain('VERY-SECRET');
    expect(shell.runs[0]?.target).toMatchObject({
      host: '10.0.0.2',
      port: 22,
      username: 'vigie',
      credential: { kind: 'privateKey', privateKey: SECRET_KEY },
    });
    expect(shell.runs[0]?.command).toMatchObject({ timeoutMs: 15_000, maxOutputBytes: 64 * 1024 });
  });

  it('parses the output into readings when the template has a parser', async () => {
    const { service } = pinnedSetUp();
    const r = completed(await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never));
    expect(r.readings.map((x) => [x.name, x.value])).toEqual([
      ['load_1m', 0.52],
      ['load_5m', 0.58],
      ['load_15m', 0.59],
    ]);
    expect(r.parseError).toBeNull();
  });

  it('does not parse a failed or truncated run, and says why', async () => {
    const { service, shell } = pinnedSetUp();
    shell.respond = () => Promise.resolve({ stdout: UPTIME_OUT, exitCode: 1 });
    const failed = completed(
      await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never),
    );
    expect(failed).toMatchObject({
      exitCode: 1,
      readings: [],
      parseError: expect.stringMatching(/not parsed/) as string,
    });
    shell.respond = () => Promise.resolve({ stdout: UPTIME_OUT, truncated: true });
    const cut = completed(
      await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never),
    );
    expect(cut.readings).toEqual([]);
  });

  it('streams output tagged with the run id and device', async () => {
    const { service } = pinnedSetUp();
    const seen: DiagnosticOutput[] = [];
    const r = await service.run(
      { deviceId: 'a-core-sw', templateId: 'uptime', runId: 'run-0001-abcd' },
      OPERATOR,
      { ...never, onOutput: (o) => seen.push(o) },
    );
    expect(r.runId).toBe('run-0001-abcd');
    expect(seen).toEqual([
      { runId: 'run-0001-abcd', deviceId: 'a-core-sw', stream: 'stdout', text: UPTIME_OUT },
    ]);
  });

  it('refuses what the device does not allow-list, and unknown devices and templates, before anything', async () => {
    const { service, shell, audit, resolved } = pinnedSetUp();
    const cases: [Promise<unknown>, string][] = [
      [
        service.run(
          { deviceId: 'a-core-sw', templateId: 'interface-stats', params: { ifname: 'eth0' } },
          OPERATOR,
          never,
        ),
        'FORBIDDEN',
      ],
      [service.run({ deviceId: 'a-core-sw', templateId: 'rm-rf' }, OPERATOR, never), 'FORBIDDEN'],
      [service.run({ deviceId: 'nope', templateId: 'uptime' }, OPERATOR, never), 'NOT_FOUND'],
      [service.run({ deviceId: 'a-ups-1', templateId: 'uptime' }, OPERATOR, never), 'NOT_FOUND'],
    ];
    for (const [promise, code] of cases) expect((await vigieError(promise)).code).toBe(code);
    expect(shell.runs).toHaveLength(0);
    expect(audit.entries).toHaveLength(0);
    expect(resolved).toHaveLength(0);
  });

  it.each([
    [{ unit: 'nginx; reboot' }],
    [{ unit: '$(reboot)' }],
    [{ unit: '--help' }],
    [{ unit: 'a\nb' }],
    [{ unit: 'nginx', command: 'reboot' }],
    [{}],
    ['nginx'],
  ])('refuses the parameters %j with VALIDATION before anything', async (params) => {
    const { service, shell, audit } = pinnedSetUp();
    const err = await vigieError(
      service.run({ deviceId: 'a-core-sw', templateId: 'service-status', params }, OPERATOR, never),
    );
    expect(err.code).toBe('VALIDATION');
    expect(shell.runs).toHaveLength(0);
    expect(audit.entries).toHaveLength(0);
  });

  it('refuses a malformed run id', async () => {
    const { service } = pinnedSetUp();
    const err = await vigieError(
      service.run({ deviceId: 'a-core-sw', templateId: 'uptime', runId: 'x; y' }, OPERATOR, never),
    );
    expect(err.code).toBe('VALIDATION');
  });

  it('uses the password when only a password secret is configured', async () => {
    const { service, shell, pins } = setUp();
    pins.pins.set('lab-pw', {
      ...KEY_A,
      deviceId: 'lab-pw',
      keyType: KEY_A.type,
      endpoint: 'lab.example:2222',
      pinnedAt: 0,
      pinnedBy: 'x',
    });
    completed(await service.run({ deviceId: 'lab-pw', templateId: 'uptime' }, OPERATOR, never));
    expect(shell.runs[0]?.target).toMatchObject({
      port: 2222,
      credential: { kind: 'password', password: 'hunter2' },
    });
  });

  it('fails with CREDENTIAL naming the reference when the secret cannot be read', async () => {
    const env = setUp({ secrets: {} });
    env.pins.pins.set('a-core-sw', {
      ...KEY_A,
      deviceId: 'a-core-sw',
      keyType: KEY_A.type,
      endpoint: '',
      pinnedAt: 0,
      pinnedBy: 'x',
    });
    const err = await env.service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).code).toBe('CREDENTIAL');
    expect((err as UpstreamError).message).toContain('env:A_CORE_SW_KEY');
    expect(env.shell.runs).toHaveLength(0);
  });

  it('limits concurrent runs per device', async () => {
    const { service, shell } = pinnedSetUp();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    shell.respond = async () => {
      await gate;
      return { stdout: UPTIME_OUT };
    };
    const first = service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never);
    const second = service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never);
    await new Promise((resolve) => setImmediate(resolve));
    expect(
      (await vigieError(service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never))).code,
    ).toBe('CONFLICT');
    release();
    await Promise.all([first, second]);
    completed(await service.run({ deviceId: 'a-core-sw', templateId: 'uptime' }, OPERATOR, never));
  });

  it('lists the templates a device allows, for the UI', () => {
    const { service } = setUp();
    expect(service.templatesFor('a-core-sw').map((t) => t.id)).toEqual([
      'uptime',
      'disk-usage',
      'service-status',
      'interface-counters',
    ]);
    expect(service.templatesFor('a-ups-1')).toEqual([]);
  });

  it('refuses at startup a device allow-listing an unknown template, and a bad template', () => {
    const deps = setUp();
    const make = (devices: DiagnosticsDevice[], templates?: CommandTemplate[]) =>
      new DiagnosticsService(
        devices,
        {
          shell: deps.shell,
          trust: deps.trust,
          audit: deps.audit,
          clock: deps.clock,
          logger: silentLogger,
          secrets: { resolve: () => Promise.resolve('') },
        },
        templates ? { templates } : {},
      );
    expect(() =>
      make([
        { id: 'x', address: 'h', ssh: { port: 22, user: 'u', keySecret: 'env:K', templates: ['reboot'] } },
      ]),
    ).toThrow(/unknown template "reboot"/);
    expect(() =>
      make(
        [],
        [
          {
            id: 'bad',
            titleKey: 't',
            params: [],
            argv: ['sh', '-c', 'id\nreboot'],
            timeoutMs: 1,
            maxOutputBytes: 1,
          },
        ],
      ),
    ).toThrow(/control/);
  });
});
