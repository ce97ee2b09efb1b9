/**
 * HAProxy as a two-zone global load balancer: a frontend on a random loopback port, backend
 * `be_platform` with servers `zone-a` and `zone-b` (health-checked with GET /health every 500 ms),
 * and an admin runtime API socket in the temp dir. Readiness: `show info` answers on the socket.
 */
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Requirement, ServerBase } from './common';
import {
  LOOPBACK,
  freeTcpPort,
  makeTempDir,
  pathOf,
  readyOrCleanUp,
  removeTempDir,
  requireBinaries,
  runChecked,
  spawnServer,
  stopper,
  withStartRetries,
} from './common';

export const HAPROXY_REQUIREMENTS: readonly Requirement[] = [{ binary: 'haproxy', debianPackage: 'haproxy' }];

export const HAPROXY_BACKEND = 'be_platform';
export const HAPROXY_ZONES = ['zone-a', 'zone-b'] as const;
export type HaproxyZone = (typeof HAPROXY_ZONES)[number];

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface HaproxyOptions {
  /** Where each zone's server listens (it must answer GET /health with 2xx or 3xx to be UP). */
  readonly zones: Readonly<Record<HaproxyZone, HostPort>>;
  /**
   * Also open `operator.sock` (admin level) owned by this account, for a driver that logs in over
   * SSH as that user and talks to the socket with socat.
   */
  readonly operatorSocketUser?: string;
  /** Readiness deadline; default 10 s. */
  readonly readyDeadlineMs?: number;
}

export interface HaproxyHandle extends ServerBase {
  readonly host: string;
  /** The frontend's port. */
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly backend: typeof HAPROXY_BACKEND;
  /** Admin runtime API socket (mode 600, level admin). */
  readonly adminSocket: string;
  readonly operatorSocket?: string;
  /** Sends one runtime API command on the admin socket and returns the raw answer. */
  command(command: string): Promise<string>;
}

const SAFE = /^[A-Za-z0-9._-]+$/;

export async function startHaproxy(options: HaproxyOptions): Promise<HaproxyHandle> {
  const haproxy = pathOf(requireBinaries(HAPROXY_REQUIREMENTS), 'haproxy');
  for (const zone of HAPROXY_ZONES) {
    const { host, port } = options.zones[zone];
    if (!SAFE.test(host) || !Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new RangeError(`zone ${zone}: bad address ${host}:${port}`);
    }
  }
  if (options.operatorSocketUser !== undefined && !SAFE.test(options.operatorSocketUser)) {
    throw new RangeError(`bad operator socket user ${JSON.stringify(options.operatorSocketUser)}`);
  }

  return withStartRetries('haproxy', async () => {
    const dir = await makeTempDir('haproxy');
    const adminSocket = path.join(dir, 'admin.sock');
    const operatorSocket =
      options.operatorSocketUser === undefined ? undefined : path.join(dir, 'operator.sock');
    const configPath = path.join(dir, 'haproxy.cfg');
    let port: number;
    try {
      port = await freeTcpPort();
      await writeFile(configPath, haproxyConfig(port, adminSocket, operatorSocket, options), { mode: 0o600 });
      runChecked(haproxy, ['-c', '-f', configPath]);
    } catch (err: unknown) {
      await removeTempDir(dir);
      throw err;
    }
    const proc = spawnServer('haproxy', haproxy, ['-db', '-f', configPath], { cwd: dir });
    await readyOrCleanUp(
      proc,
      dir,
      async () => /^Name: HAProxy$/m.test(await runtimeCommand(adminSocket, 'show info', 500)),
      { what: `haproxy on ${LOOPBACK}:${port}`, deadlineMs: options.readyDeadlineMs ?? 10_000 },
    );
    return {
      host: LOOPBACK,
      port,
      url: `http://${LOOPBACK}:${port}`,
      backend: HAPROXY_BACKEND,
      adminSocket,
      ...(operatorSocket === undefined ? {} : { operatorSocket }),
      command: (command: string) => runtimeCommand(adminSocket, command),
      dir,
      process: proc,
      stop: stopper(proc, dir),
    };
  });
}

function haproxyConfig(
  port: number,
  adminSocket: string,
  operatorSocket: string | undefined,
  options: HaproxyOptions,
): string {
  const server = (zone: HaproxyZone): string => {
    const { host, port: serverPort } = options.zones[zone];
    return `  server ${zone} ${host}:${serverPort} check inter 500 fall 2 rise 1`;
  };
  return `global
  stats socket ${adminSocket} mode 600 level admin
${operatorSocket === undefined ? '' : `  stats socket ${operatorSocket} mode 600 level admin user ${String(options.operatorSocketUser)}\n`}  stats timeout 30s

defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s

frontend fe_platform
  bind ${LOOPBACK}:${port}
  default_backend ${HAPROXY_BACKEND}

backend ${HAPROXY_BACKEND}
  balance roundrobin
  option httpchk GET /health
${server('zone-a')}
${server('zone-b')}
`;
}

/**
 * One runtime API command per connection (HAProxy closes it after answering). Returns the raw
 * answer: a successful `set` answers an empty line, errors answer in text, so callers must read it.
 */
export function runtimeCommand(socketPath: string, command: string, timeoutMs = 2_000): Promise<string> {
  if (/[\r\n;]/.test(command))
    return Promise.reject(new RangeError('one runtime command, without line breaks or ";"'));
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let answer = '';
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer to "${command}" within ${timeoutMs} ms`)),
    );
    socket.once('connect', () => socket.end(`${command}\n`));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
    });
    socket.once('error', reject);
    socket.once('close', (hadError) => {
      if (!hadError) resolve(answer);
    });
  });
}

/** One row of `show servers state <backend>` (format version 1). */
export interface ServerState {
  readonly backend: string;
  readonly name: string;
  readonly address: string;
  /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping. */
  readonly operationalState: number;
  /** srv_admin_state bit field: 0x01 forced maintenance, 0x08 forced drain (see HAProxy management guide). */
  readonly adminState: number;
  readonly weight: number;
}

/** Parses `show servers state` (the header line names the columns; rows are space separated). */
export function parseServersState(answer: string): ServerState[] {
  const lines = answer.split('\n').map((l) => l.trim());
  const header = lines.find((l) => l.startsWith('# be_id'));
  if (header === undefined) throw new Error(`not a "show servers state" answer: ${answer.slice(0, 200)}`);
  const columns = header.slice(2).split(' ');
  const index = (name: string): number => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`column ${name} missing from: ${header}`);
    return i;
  };
  const at = {
    backend: index('be_name'),
    name: index('srv_name'),
    address: index('srv_addr'),
    op: index('srv_op_state'),
    admin: index('srv_admin_state'),
    weight: index('srv_uweight'),
  };
  return (
    lines
      // The first line is the format version ("1"): rows are the lines with every column.
      .filter((l) => !l.startsWith('#') && l.split(' ').length >= columns.length)
      .map((line) => {
        const f = line.split(' ');
        const field = (i: number): string => f[i] ?? '';
        return {
          backend: field(at.backend),
          name: field(at.name),
          address: field(at.address),
          operationalState: Number(field(at.op)),
          adminState: Number(field(at.admin)),
          weight: Number(field(at.weight)),
        };
      })
  );
}
