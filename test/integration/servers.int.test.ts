/**
 * Each real server of test/servers starts on loopback and answers: snmpd and snmpsim through
 * NetSnmpClient (checked against net-snmp's own snmpbulkwalk), influxd over its HTTP API, sshd
 * through ssh2 with a pinned host key, HAProxy through its frontend and runtime API.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetSnmpClient } from '../../electron/engine/adapters/snmp/net-snmp-client';
import type {
  SnmpV2cTarget,
  SnmpV3Target,
  SnmpValue,
  SnmpVarbind,
} from '../../electron/engine/ports/snmp-client';
import { pathOf, requireBinaries, skipReason, waitFor, withSkipReason } from '../servers/common';
import type { HaproxyHandle } from '../servers/haproxy';
import { HAPROXY_REQUIREMENTS, parseServersState, startHaproxy } from '../servers/haproxy';
import type { InfluxdHandle } from '../servers/influxd';
import { INFLUXD_REQUIREMENTS, startInfluxd } from '../servers/influxd';
import { SNMP_CLI_REQUIREMENTS, snmpBulkWalk } from '../servers/snmp-cli';
import type { SnmpdHandle, SnmpdV3User } from '../servers/snmpd';
import { SNMPD_REQUIREMENTS, startSnmpd } from '../servers/snmpd';
import type { SnmpsimHandle } from '../servers/snmpsim';
import { SNMPSIM_RECORDINGS, SNMPSIM_REQUIREMENTS, startSnmpsim } from '../servers/snmpsim';
import type { SshdHandle } from '../servers/sshd';
import { SSHD_REQUIREMENTS, startSshd } from '../servers/sshd';

const SYS_DESCR_0 = '1.3.6.1.2.1.1.1.0';
const SYSTEM = '1.3.6.1.2.1.1';
const SYS_OR_TABLE = '1.3.6.1.2.1.1.9';
const IF_TABLE = '1.3.6.1.2.1.2.2';
const IF_DESCR = '1.3.6.1.2.1.2.2.1.2';
const IF_HC_IN_OCTETS = '1.3.6.1.2.1.31.1.1.1.6';

function never(): AbortSignal {
  return new AbortController().signal;
}

/** The canonical form of snmp-cli.ts, so that both sides compare as strings. */
function canonical(vb: SnmpVarbind): { oid: string; value: string } {
  return { oid: vb.oid, value: canonicalValue(vb.value) };
}

function canonicalValue(value: SnmpValue): string {
  switch (value.type) {
    case 'octets':
      return `octets:${value.value.startsWith('0x') ? value.value.slice(2) : Buffer.from(value.value, 'utf8').toString('hex')}`;
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      return `${value.type}:${value.value}`;
    case 'counter64':
      return `counter64:${value.value.toString()}`;
    case 'oid':
    case 'ipaddress':
      return `${value.type}:${value.value}`;
    case 'null':
      return 'null';
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return value.type;
  }
}

function run(
  binary: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, { env: { ...process.env, MIBS: '' }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------------------------------------

const snmpdSkip = skipReason('snmpd', [...SNMPD_REQUIREMENTS, ...SNMP_CLI_REQUIREMENTS]);

describe.skipIf(snmpdSkip !== undefined)(withSkipReason('snmpd', snmpdSkip), () => {
  const v3User: SnmpdV3User = {
    name: 'vigie-v3',
    authProtocol: 'SHA-256',
    authPassphrase: 'auth-pass-4-tests',
    privProtocol: 'AES',
    privPassphrase: 'priv-pass-4-tests',
  };
  let server: SnmpdHandle | undefined;
  const client = new NetSnmpClient();
  let target: SnmpV2cTarget;

  beforeAll(async () => {
    server = await startSnmpd({ community: 'vigie-ro', v3Users: [v3User] });
    target = {
      host: server.host,
      port: server.port,
      version: '2c',
      community: server.community,
      timeoutMs: 2_000,
    };
  });

  afterAll(async () => {
    await client.close();
    await server?.stop();
  });

  it('answers a get of sysDescr.0 through NetSnmpClient', async () => {
    const [vb] = await client.get(target, [SYS_DESCR_0], never());
    expect(vb?.oid).toBe(SYS_DESCR_0);
    expect(vb?.value.type).toBe('octets');
    expect(vb?.value.type === 'octets' ? vb.value.value : '').toMatch(/Linux/);
  });

  it('serves through NetSnmpClient the same ifDescr column snmpbulkwalk prints', async () => {
    const ours = await client.subtree(target, IF_DESCR, 10, never());
    const theirs = await snmpBulkWalk(target.host, target.port, target.community, IF_DESCR);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map(canonical)).toEqual(theirs);
  });

  it('serves through NetSnmpClient the same sysORTable snmpbulkwalk prints', async () => {
    const ours = await client.subtree(target, SYS_OR_TABLE, 7, never());
    const theirs = await snmpBulkWalk(target.host, target.port, target.community, SYS_OR_TABLE);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map(canonical)).toEqual(theirs);
  });

  it('stays silent for a wrong community, which NetSnmpClient reports as a timeout', async () => {
    await expect(
      client.get({ ...target, community: 'wrong', timeoutMs: 300 }, [SYS_DESCR_0], never()),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('serves the SNMPv3 authPriv user it was given, and refuses a wrong passphrase', async () => {
    const snmpget = (authPassphrase: string): ReturnType<typeof run> =>
      run(pathOf(requireBinaries(SNMP_CLI_REQUIREMENTS), 'snmpget'), [
        '-v3',
        '-l',
        'authPriv',
        '-u',
        v3User.name,
        '-a',
        v3User.authProtocol,
        '-A',
        authPassphrase,
        '-x',
        v3User.privProtocol,
        '-X',
        v3User.privPassphrase,
        '-t',
        '2',
        '-r',
        '0',
        '-On',
        `${target.host}:${target.port}`,
        SYS_DESCR_0,
      ]);
    const good = await snmpget(v3User.authPassphrase);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^\.1\.3\.6\.1\.2\.1\.1\.1\.0 = STRING: /);
    const bad = await snmpget('not-the-passphrase');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Authentication failure/i);
  });

  const v3Target = (overrides: Partial<SnmpV3Target> = {}): SnmpV3Target => ({
    host: target.host,
    port: target.port,
    version: '3',
    user: v3User.name,
    level: 'authPriv',
    authProtocol: 'sha256',
    authPassphrase: v3User.authPassphrase,
    privProtocol: 'aes',
    privPassphrase: v3User.privPassphrase,
    timeoutMs: 2_000,
    ...overrides,
  });

  it('answers NetSnmpClient over SNMPv3 authPriv (SHA-256, AES) with what snmpbulkwalk -v3 prints', async () => {
    const [vb] = await client.get(v3Target(), [SYS_DESCR_0], never());
    expect(vb?.value.type === 'octets' ? vb.value.value : '').toMatch(/Linux/);
    const ours = await client.subtree(v3Target(), IF_DESCR, 10, never());
    const theirs = await snmpBulkWalk(target.host, target.port, target.community, IF_DESCR);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map(canonical)).toEqual(theirs);
  });

  it('reports a wrong SNMPv3 auth passphrase as AUTH, not as a timeout or as data', async () => {
    await expect(
      client.get(v3Target({ authPassphrase: 'not-the-passphrase' }), [SYS_DESCR_0], never()),
    ).rejects.toMatchObject({ code: 'AUTH' });
  });

  it('reports an unknown SNMPv3 user as AUTH', async () => {
    await expect(client.get(v3Target({ user: 'nobody-here' }), [SYS_DESCR_0], never())).rejects.toMatchObject(
      {
        code: 'AUTH',
      },
    );
  });
});

// ---------------------------------------------------------------------------------------------

const snmpsimSkip = skipReason('snmpsim', [...SNMPSIM_REQUIREMENTS, ...SNMP_CLI_REQUIREMENTS]);

describe.skipIf(snmpsimSkip !== undefined)(withSkipReason('snmpsim', snmpsimSkip), () => {
  const HUGE = 18_446_744_073_709_551_615n;
  const ABOVE_2_53 = 9_007_199_254_740_993n;
  let server: SnmpsimHandle | undefined;
  const client = new NetSnmpClient();
  const targetFor = (community: string): SnmpV2cTarget => {
    if (server === undefined) throw new Error('snmpsim did not start');
    return { host: server.host, port: server.port, version: '2c', community, timeoutMs: 5_000 };
  };

  beforeAll(async () => {
    server = await startSnmpsim({
      recordings: ['ciscoSwitch', 'linuxHost'],
      extraRecordings: {
        'vigie-counters': [
          `${SYS_DESCR_0}|4|Vigie hand-written device`,
          `${IF_HC_IN_OCTETS}.1|70|${ABOVE_2_53}`,
          `${IF_HC_IN_OCTETS}.2|70|${HUGE}`,
          `${IF_HC_IN_OCTETS}.3|70|0`,
        ].join('\n'),
      },
    });
  });

  afterAll(async () => {
    await client.close();
    await server?.stop();
  });

  it('serves the package recordings and the hand-written device under their communities', () => {
    expect(server?.communities).toEqual([
      SNMPSIM_RECORDINGS.ciscoSwitch.community,
      SNMPSIM_RECORDINGS.linuxHost.community,
      'vigie-counters',
    ]);
  });

  it('answers a get of sysDescr.0 of the recorded Cisco switch through NetSnmpClient', async () => {
    const [vb] = await client.get(
      targetFor(SNMPSIM_RECORDINGS.ciscoSwitch.community),
      [SYS_DESCR_0],
      never(),
    );
    expect(vb?.value).toMatchObject({ type: 'octets' });
    expect(vb?.value.type === 'octets' ? vb.value.value : '').toMatch(/^Cisco IOS Software, C3750/);
  });

  it('serves through NetSnmpClient the same Cisco system group snmpbulkwalk prints', async () => {
    const target = targetFor(SNMPSIM_RECORDINGS.ciscoSwitch.community);
    const ours = await client.subtree(target, SYSTEM, 25, never());
    const theirs = await snmpBulkWalk(target.host, target.port, target.community, SYSTEM);
    expect(ours.length).toBeGreaterThan(100);
    expect(ours.map(canonical)).toEqual(theirs);
  });

  it('serves through NetSnmpClient the same Linux host ifTable snmpbulkwalk prints', async () => {
    const target = targetFor(SNMPSIM_RECORDINGS.linuxHost.community);
    const ours = await client.subtree(target, IF_TABLE, 10, never());
    const theirs = await snmpBulkWalk(target.host, target.port, target.community, IF_TABLE);
    expect(ours.length).toBeGreaterThan(20);
    expect(ours.map(canonical)).toEqual(theirs);
  });

  it('keeps Counter64 values above 2^53 exact, as snmpbulkwalk prints them', async () => {
    const target = targetFor('vigie-counters');
    const ours = await client.subtree(target, IF_HC_IN_OCTETS, 10, never());
    expect(ours.map((vb) => vb.value)).toEqual([
      { type: 'counter64', value: ABOVE_2_53 },
      { type: 'counter64', value: HUGE },
      { type: 'counter64', value: 0n },
    ]);
    expect(ours.map(canonical)).toEqual(
      await snmpBulkWalk(target.host, target.port, target.community, IF_HC_IN_OCTETS),
    );
  });
});

// ---------------------------------------------------------------------------------------------

const influxSkip = skipReason('influxd', INFLUXD_REQUIREMENTS);

describe.skipIf(influxSkip !== undefined)(withSkipReason('influxd', influxSkip), () => {
  let server: InfluxdHandle | undefined;

  beforeAll(async () => {
    server = await startInfluxd();
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
  ): Promise<{ status: number; text: string }> {
    if (server === undefined) throw new Error('influxd did not start');
    const response = await fetch(`${server.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, text: await response.text() };
  }

  it('stores points written in line protocol and gives them back with epoch=ms', async () => {
    const created = await call('POST', `/query?q=${encodeURIComponent('CREATE DATABASE "vigie_it"')}`);
    expect(created.status).toBe(200);
    const t0 = Date.UTC(2024, 0, 15, 10, 0, 0);
    const points = [
      [t0, 1234.5, 'r01'],
      [t0 + 60_000, 1240.25, 'r01'],
      [t0 + 120_000, 998, 'r02'],
    ] as const;
    const lines = points
      .map(([t, watts, rack]) => `rack_power,site=par1,rack=${rack} watts=${watts} ${t}`)
      .join('\n');
    const written = await call('POST', '/write?db=vigie_it&precision=ms', lines);
    expect(written.status, written.text).toBe(204);

    const query = encodeURIComponent(
      `SELECT "watts", "rack" FROM "rack_power" WHERE "site" = 'par1' ORDER BY time ASC`,
    );
    const read = await call('GET', `/query?db=vigie_it&epoch=ms&q=${query}`);
    expect(read.status).toBe(200);
    const body = JSON.parse(read.text) as {
      results: {
        statement_id: number;
        partial?: boolean;
        error?: string;
        series?: { columns: string[]; values: unknown[][] }[];
      }[];
    };
    const result = body.results[0];
    // InfluxDB 1.x reports query errors and truncation inside a 200 (PITFALLS.md).
    expect(result?.error).toBeUndefined();
    expect(result?.partial).not.toBe(true);
    expect(result?.series?.[0]?.columns).toEqual(['time', 'watts', 'rack']);
    expect(result?.series?.[0]?.values).toEqual(points.map(([t, watts, rack]) => [t, watts, rack]));
  });

  it('answers a bad query with an error inside the results', async () => {
    const read = await call('GET', `/query?db=vigie_it&q=${encodeURIComponent('SELECT FROM nowhere')}`);
    expect(read.text).toMatch(/error/);
  });
});

// ---------------------------------------------------------------------------------------------

const sshdSkip = skipReason('sshd', SSHD_REQUIREMENTS);

describe.skipIf(sshdSkip !== undefined)(withSkipReason('sshd', sshdSkip), () => {
  let server: SshdHandle | undefined;

  beforeAll(async () => {
    server = await startSshd();
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** `SHA256:` + unpadded base64 of the SHA-256 of the key blob: what `ssh-keygen -l` prints. */
  function fingerprintOf(key: Buffer): string {
    return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
  }

  interface ExecResult {
    stdout: string;
    stderr: string;
    code: number | null;
  }

  function sshExec(pin: string, command: string, onAuth: () => void): Promise<ExecResult> {
    const s = server;
    if (s === undefined) return Promise.reject(new Error('sshd did not start'));
    return new Promise((resolve, reject) => {
      const conn = new Client();
      const fail = (err: Error): void => {
        conn.end();
        reject(err);
      };
      conn.once('error', fail);
      conn.once('ready', () => {
        conn.exec(command, (err: Error | undefined, channel: ClientChannel) => {
          if (err !== undefined) {
            fail(err);
            return;
          }
          let stdout = '';
          let stderr = '';
          let code: number | null = null;
          channel.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
          channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
          channel.on('exit', (exitCode: number | null) => {
            code = exitCode;
          });
          channel.on('close', () => {
            conn.end();
            resolve({ stdout, stderr, code });
          });
        });
      });
      conn.connect({
        host: s.host,
        port: s.port,
        username: s.user,
        readyTimeout: 10_000,
        keepaliveInterval: 5_000,
        hostVerifier: (key: Buffer): boolean => fingerprintOf(key) === pin,
        authHandler: (_methodsLeft, _partial, next) => {
          onAuth();
          next({ type: 'publickey', username: s.user, key: s.privateKey });
        },
      });
    });
  }

  it('runs a command for the pinned host key and returns its stdout and exit code', async () => {
    let authAttempts = 0;
    const result = await sshExec(server!.hostKeyFingerprint, 'echo hello; exit 3', () => authAttempts++);
    expect(result.stdout.trim()).toBe('hello');
    expect(result.code).toBe(3);
    expect(authAttempts).toBe(1);
  });

  it('refuses a host whose key does not match the pin, before authenticating', async () => {
    let authAttempts = 0;
    const wrongPin = fingerprintOf(Buffer.from('not the host key'));
    await expect(sshExec(wrongPin, 'echo should-not-run', () => authAttempts++)).rejects.toThrow(
      /verification failed/i,
    );
    expect(authAttempts).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

const haproxySkip = skipReason('haproxy', HAPROXY_REQUIREMENTS);

describe.skipIf(haproxySkip !== undefined)(withSkipReason('haproxy', haproxySkip), () => {
  let server: HaproxyHandle | undefined;
  const backends: http.Server[] = [];

  /** A zone's backend: /health answers 200, everything else names the zone. */
  async function startZone(zone: string): Promise<{ host: string; port: number }> {
    const backend = http.createServer((req, res) => {
      res.setHeader('connection', 'close');
      if (req.url === '/health') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } else {
        res
          .writeHead(200, { 'content-type': 'application/json', 'x-zone': zone })
          .end(JSON.stringify({ zone }));
      }
    });
    backends.push(backend);
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    return { host: '127.0.0.1', port: (backend.address() as AddressInfo).port };
  }

  /** One request through the frontend on a fresh connection (no keep-alive): which zone answered. */
  function zoneOfNextRequest(): Promise<string> {
    const s = server;
    if (s === undefined) return Promise.reject(new Error('haproxy did not start'));
    return new Promise((resolve, reject) => {
      const req = http.get(
        { host: s.host, port: s.port, path: '/whoami', agent: false, timeout: 5_000 },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`status ${String(res.statusCode)}: ${body}`));
            else resolve((JSON.parse(body) as { zone: string }).zone);
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer through the frontend')));
      req.on('error', reject);
    });
  }

  async function zonesOf(requests: number): Promise<string[]> {
    const zones: string[] = [];
    for (let i = 0; i < requests; i++) zones.push(await zoneOfNextRequest());
    return zones;
  }

  async function states(): Promise<ReturnType<typeof parseServersState>> {
    return parseServersState(await server!.command('show servers state be_platform'));
  }

  beforeAll(async () => {
    const zoneA = await startZone('zone-a');
    const zoneB = await startZone('zone-b');
    server = await startHaproxy({ zones: { 'zone-a': zoneA, 'zone-b': zoneB } });
    // Both servers pass their first /health check (inter 500 ms, rise 1).
    await waitFor(async () => (await states()).filter((s) => s.operationalState === 2).length === 2, {
      what: 'both zones UP in be_platform',
      deadlineMs: 10_000,
      intervalMs: 50,
    });
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all(backends.map((b) => new Promise<void>((resolve) => b.close(() => resolve()))));
  });

  it('spreads requests through the frontend over both zones', async () => {
    const zones = await zonesOf(10);
    expect(new Set(zones)).toEqual(new Set(['zone-a', 'zone-b']));
  });

  it('sends all traffic to zone-b once zone-a is set to maint over the runtime API', async () => {
    const answer = await server!.command('set server be_platform/zone-a state maint');
    // Success is an empty line; an error would be text.
    expect(answer.trim()).toBe('');
    const zones = await zonesOf(10);
    expect(zones).toEqual(Array.from({ length: 10 }, () => 'zone-b'));
  });

  it('shows zone-a in forced maintenance in show servers state', async () => {
    const rows = await states();
    const zoneA = rows.find((r) => r.name === 'zone-a');
    const zoneB = rows.find((r) => r.name === 'zone-b');
    expect(zoneA?.backend).toBe('be_platform');
    expect((zoneA?.adminState ?? 0) & 0x01).toBe(0x01);
    expect(zoneB?.adminState).toBe(0);
    expect(zoneB?.operationalState).toBe(2);
  });

  it('answers a bad command with text, which is how errors are told from success', async () => {
    const unknownServer = await server!.command('set server be_platform/zone-c state maint');
    expect(unknownServer.trim()).not.toBe('');
    expect(unknownServer).toMatch(/no such server/i);
    const unknownCommand = await server!.command('frobnicate the platform');
    expect(unknownCommand.trim()).not.toBe('');
    expect(unknownCommand).toMatch(/unknown command/i);
  });

  it('brings zone-a back into rotation with state ready', async () => {
    expect((await server!.command('set server be_platform/zone-a state ready')).trim()).toBe('');
    await waitFor(async () => (await states()).every((s) => s.adminState === 0 && s.operationalState === 2), {
      what: 'zone-a ready again',
      deadlineMs: 10_000,
      intervalMs: 50,
    });
    expect(new Set(await zonesOf(10))).toEqual(new Set(['zone-a', 'zone-b']));
  });
});
