/**
 * The estate's SSH servers through a real ssh2 client on loopback: exec answered, everything else
 * (shell, pty, sftp, other keys, passwords) refused; keys kept 0600 in the data folder, reused on
 * restart, and a rotated host key presented from the next connection.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { secretRefSchema } from '../inventory/schema';
import { TRAINING_ESTATE } from './estate-definition';
import { startEstate, type Estate } from './index';
import { EstateSimulation } from './simulation';
import { startSshServers, type EstateSshDevice, type RunningSshServers } from './ssh-server';
import { FakeClock } from './test-support/fake-clock';
import { newEd25519KeyPair } from '../adapters/ssh/ed25519-key';

const clock = new FakeClock();

function devices(): EstateSshDevice[] {
  const simulation = new EstateSimulation(TRAINING_ESTATE, clock.now(), 1);
  return TRAINING_ESTATE.zones.flatMap((zone) =>
    zone.switches.map((plan) => ({
      id: plan.id,
      plan,
      hostname: plan.id,
      zoneId: zone.id,
      bootedAt: clock.now(),
      zoneCondition: (now: number) => simulation.zoneCondition(zone.id, now),
      octets: (ifIndex: number, direction: 'in' | 'out', now: number) =>
        simulation.octets(plan.id, ifIndex, direction, now),
    })),
  );
}

interface Session {
  readonly client: ssh2.Client;
  /** `SHA256:...` of the host key the server presented. */
  readonly fingerprint: string;
}

/** Connects (any host key accepted and recorded: these tests are about the server). */
async function connect(port: number, auth: Partial<ConnectConfig>): Promise<Session> {
  const client = new ssh2.Client();
  let fingerprint = '';
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    // Kept for the client's life: a reset after a refused authentication must not go unhandled.
    client.on('error', (err) => {
      client.end();
      reject(err);
    });
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'vigie',
      readyTimeout: 5000,
      hostVerifier: (key: Buffer) => {
        fingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
      ...auth,
    });
  });
  return { client, fingerprint };
}

async function exec(
  session: Session,
  command: string,
  options: ssh2.ExecOptions = {},
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) =>
    session.client.exec(command, options, (err, channel: ClientChannel) => {
      if (err) {
        reject(err);
        return;
      }
      // Listeners in the callback: the exit status may be parsed in the same chunk as the reply.
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      channel.on('data', (d: Buffer) => (stdout += d.toString()));
      channel.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      channel.on('exit', (c: number | null) => (code = c));
      channel.on('close', () => resolve({ stdout, stderr, code }));
    }),
  );
}

describe('estate SSH servers', () => {
  let dir = '';
  let servers: RunningSshServers;
  let clientKey = '';
  const open: ssh2.Client[] = [];
  const session = async (deviceId = 'a-core-sw'): Promise<Session> => {
    const s = await connect(servers.port(deviceId), { privateKey: clientKey });
    open.push(s.client);
    return s;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-estate-ssh-'));
    servers = await startSshServers({
      host: '127.0.0.1',
      clock,
      keyDir: join(dir, 'keys'),
      devices: devices(),
      onError: () => undefined,
    });
    clientKey = await readFile(servers.clientKeyFile, 'utf8');
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.end();
  });
  afterAll(async () => {
    await servers?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers an allowed command over exec, with the exit status, and logs it', async () => {
    const s = await session();
    expect(s.fingerprint).toBe(servers.hostKey('a-core-sw').fingerprint);
    const r = await exec(s, 'uptime');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ up .* load average: /);
    const missing = await exec(s, `ip -s link show dev 'eth9'`);
    expect(missing).toEqual({ stdout: '', stderr: 'Device "eth9" does not exist.\n', code: 1 });
    expect(servers.commands().slice(-2)).toEqual([
      { deviceId: 'a-core-sw', at: clock.now(), command: 'uptime', exitCode: 0 },
      { deviceId: 'a-core-sw', at: clock.now(), command: `ip -s link show dev 'eth9'`, exitCode: 1 },
    ]);
  });

  it('refuses an injection with exit 127 and a stderr line, and runs nothing', async () => {
    const r = await exec(await session(), 'uptime; cat /etc/shadow');
    expect(r.code).toBe(127);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^estate-sh: .*refused/);
  });

  it('refuses a shell, a pty and a subsystem', async () => {
    const s = await session();
    await expect(
      new Promise((resolve, reject) => s.client.shell((err, ch) => (err ? reject(err) : resolve(ch)))),
    ).rejects.toThrow();
    await expect(exec(s, 'uptime', { pty: true })).rejects.toThrow();
    await expect(
      new Promise((resolve, reject) => s.client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp)))),
    ).rejects.toThrow();
  });

  it('refuses another key, a password and another user', async () => {
    const other = newEd25519KeyPair().private;
    const port = servers.port('a-core-sw');
    await expect(connect(port, { privateKey: other })).rejects.toThrow(/authentication/i);
    await expect(connect(port, { password: 'vigie' })).rejects.toThrow(/authentication/i);
    await expect(connect(port, { privateKey: clientKey, username: 'root' })).rejects.toThrow(
      /authentication/i,
    );
  });

  it('gives each device its own port and host key, kept 0600 in a 0700 folder', async () => {
    const a = servers.hostKey('a-core-sw');
    const b = servers.hostKey('b-core-sw');
    expect(a.type).toBe('ssh-ed25519');
    expect(a.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(servers.port('a-core-sw')).not.toBe(servers.port('b-core-sw'));
    expect((await stat(join(dir, 'keys'))).mode & 0o777).toBe(0o700);
    expect((await stat(servers.clientKeyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'keys', 'host-a-core-sw_ed25519'))).mode & 0o777).toBe(0o600);
    expect(() => servers.port('a-ups-1')).toThrow(expect.objectContaining({ code: 'UNKNOWN_DEVICE' }));
  });

  it('presents a rotated host key from the next connection, and keeps it across a restart', async () => {
    const before = servers.hostKey('b-core-sw');
    const rotated = await servers.rotateHostKey('b-core-sw');
    expect(rotated.fingerprint).not.toBe(before.fingerprint);
    const s = await session('b-core-sw');
    expect(s.fingerprint).toBe(rotated.fingerprint);
    expect((await exec(s, 'uptime')).code).toBe(0);

    const again = await startSshServers({
      host: '127.0.0.1',
      clock,
      keyDir: join(dir, 'keys'),
      devices: devices(),
      onError: () => undefined,
    });
    try {
      expect(again.hostKey('b-core-sw')).toEqual(rotated);
      expect(again.hostKey('a-core-sw')).toEqual(servers.hostKey('a-core-sw'));
      expect(await readFile(again.clientKeyFile, 'utf8')).toBe(clientKey);
    } finally {
      await again.close();
    }
  });
});

describe('startEstate with a data folder', () => {
  let dir = '';
  let estate: Estate;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-estate-ssh-'));
    estate = await startEstate({ clock, dataDir: dir });
  });
  afterAll(async () => {
    await estate?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the core switches an ssh block with a file: key reference and their allow-lists', () => {
    const withSsh = estate.inventory.devices.filter((d) => d.ssh);
    expect(withSsh.map((d) => d.id)).toEqual(['a-core-sw', 'b-core-sw', 'w-core-sw']);
    const a = withSsh[0]!.ssh!;
    expect(a.user).toBe('vigie');
    expect(secretRefSchema.safeParse(a.keySecret).success).toBe(true);
    expect(a.keySecret).toBe(`file:${join(dir, 'estate-ssh', 'client_ed25519')}`);
    expect(a.templates).toContain('service-status');
    expect(withSsh[2]!.ssh!.templates).toEqual(['uptime', 'disk-usage']);
    expect(estate.sshDevices().map((d) => [d.deviceId, d.port])).toEqual(
      withSsh.map((d) => [d.id, d.ssh!.port]),
    );
  });

  it('offers the changed-host-key drill, which rotates core switch A key', async () => {
    expect(estate.listScenarios().map((s) => s.id)).toContain('a-core-sw-host-key-changed');
    const before = estate.sshDevices().find((d) => d.deviceId === 'a-core-sw')!.hostKey;
    estate.runScenario('a-core-sw-host-key-changed');
    const after = estate.sshDevices().find((d) => d.deviceId === 'a-core-sw')!.hostKey;
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const s = await connect(estate.sshDevices()[0]!.port, {
      privateKey: await readFile(join(dir, 'estate-ssh', 'client_ed25519'), 'utf8'),
    });
    try {
      expect(s.fingerprint).toBe(after.fingerprint);
    } finally {
      s.client.end();
    }
    await expect(estate.rotateSshHostKey('a-ups-1')).rejects.toMatchObject({ code: 'UNKNOWN_DEVICE' });
  });

  it('speaks no SSH without a data folder: no ssh blocks, no host-key drill', async () => {
    const plain = await startEstate({ clock });
    try {
      expect(plain.inventory.devices.some((d) => d.ssh)).toBe(false);
      expect(plain.sshDevices()).toEqual([]);
      expect(plain.listScenarios().map((s) => s.id)).toEqual(['zone-a-power-failure', 'restore']);
      await expect(plain.rotateSshHostKey('a-core-sw')).rejects.toMatchObject({ code: 'UNKNOWN_DEVICE' });
    } finally {
      await plain.stop();
    }
  });
});
