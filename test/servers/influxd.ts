/**
 * InfluxDB 1.6 (`influxd`) on a random loopback port with its own config file and data dirs.
 * Readiness: GET /ping answers 204.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Requirement, ServerBase } from './common';
import {
  LOOPBACK,
  freeTcpPort,
  makeTempDir,
  pathOf,
  readyOrCleanUp,
  requireBinaries,
  spawnServer,
  stopper,
  withStartRetries,
} from './common';

export const INFLUXD_REQUIREMENTS: readonly Requirement[] = [
  { binary: 'influxd', debianPackage: 'influxdb' },
];

export interface InfluxdOptions {
  /** Readiness deadline; default 20 s. */
  readonly readyDeadlineMs?: number;
}

export interface InfluxdHandle extends ServerBase {
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`: /ping, /query (InfluxQL), /write (line protocol). */
  readonly url: string;
}

export async function startInfluxd(options: InfluxdOptions = {}): Promise<InfluxdHandle> {
  const influxd = pathOf(requireBinaries(INFLUXD_REQUIREMENTS), 'influxd');
  return withStartRetries('influxd', async () => {
    const dir = await makeTempDir('influxd');
    const [httpPort, rpcPort] = await distinctTcpPorts();
    const url = `http://${LOOPBACK}:${httpPort}`;
    const configPath = path.join(dir, 'influxdb.conf');
    await writeFile(configPath, influxConfig(dir, httpPort, rpcPort));
    // Always an own config: without -config influxd uses /etc/influxdb, /var/lib/influxdb and the
    // default ports.
    const proc = spawnServer('influxd', influxd, ['run', '-config', configPath], { cwd: dir });
    await readyOrCleanUp(proc, dir, () => pingAnswers(url), {
      what: `influxd on ${url}`,
      deadlineMs: options.readyDeadlineMs ?? 20_000,
    });
    return { host: LOOPBACK, port: httpPort, url, dir, process: proc, stop: stopper(proc, dir) };
  });
}

async function distinctTcpPorts(): Promise<[number, number]> {
  const a = await freeTcpPort();
  let b = await freeTcpPort();
  while (b === a) b = await freeTcpPort();
  return [a, b];
}

function influxConfig(dir: string, httpPort: number, rpcPort: number): string {
  const p = (name: string): string => JSON.stringify(path.join(dir, name));
  return `reporting-enabled = false
bind-address = "${LOOPBACK}:${rpcPort}"

[meta]
  dir = ${p('meta')}

[data]
  dir = ${p('data')}
  wal-dir = ${p('wal')}
  query-log-enabled = false

[http]
  enabled = true
  bind-address = "${LOOPBACK}:${httpPort}"
  auth-enabled = false
  log-enabled = false

[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false
`;
}

async function pingAnswers(url: string): Promise<boolean> {
  const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(500) });
  await response.body?.cancel();
  return response.status === 204;
}
