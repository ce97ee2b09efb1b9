/**
 * Starts the simulated SNMP agents of the poll benchmark (snmp-agent-farm-child.ts) in a child
 * process: its own CPU, its own file descriptors (one UDP socket per agent). When the soft limit
 * on open files is too low for that, the child is started under `ulimit -n <hard limit>`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FarmParams {
  readonly agents: number;
  readonly community: string;
  readonly maxResponseBytes: number;
}

/** Parent -> child. */
export type FarmRequest = { readonly type: 'stats' } | { readonly type: 'stop' };

/** Child -> parent. */
export type FarmMessage =
  | { readonly type: 'ready'; readonly ports: readonly number[] }
  | { readonly type: 'stats'; readonly stats: FarmStats }
  | { readonly type: 'failed'; readonly message: string };

export interface FarmStats {
  readonly requests: number;
  readonly varbinds: number;
  readonly dropped: number;
  readonly tooBig: number;
  /** This process's CPU time (user + system), microseconds. */
  readonly cpuMicros: number;
}

/** The value types the agents serve, named as Vigie's SnmpValue names them. */
export type FarmKind = 'timeticks' | 'octets' | 'integer' | 'counter32' | 'counter64' | 'gauge32';

export interface FarmObject {
  readonly oid: string;
  readonly kind: FarmKind;
  /** Interface number (1..6), 0 for scalars of the system group. */
  readonly ifIndex: number;
  /** Column number inside its table, to vary values between objects. */
  readonly column: number;
}

const IF_COLUMNS: readonly { readonly prefix: string; readonly kind: FarmKind }[] = [
  { prefix: '1.3.6.1.2.1.2.2.1.2', kind: 'octets' }, // ifDescr
  { prefix: '1.3.6.1.2.1.2.2.1.8', kind: 'integer' }, // ifOperStatus
  { prefix: '1.3.6.1.2.1.2.2.1.13', kind: 'counter32' }, // ifInDiscards
  { prefix: '1.3.6.1.2.1.2.2.1.14', kind: 'counter32' }, // ifInErrors
  { prefix: '1.3.6.1.2.1.2.2.1.20', kind: 'counter32' }, // ifOutErrors
  { prefix: '1.3.6.1.2.1.31.1.1.1.6', kind: 'counter64' }, // ifHCInOctets
  { prefix: '1.3.6.1.2.1.31.1.1.1.10', kind: 'counter64' }, // ifHCOutOctets
  { prefix: '1.3.6.1.2.1.31.1.1.1.15', kind: 'gauge32' }, // ifHighSpeed
];
/** Interfaces per simulated switch. */
export const FARM_INTERFACES = 6;

/** The 50 objects every simulated agent serves, in the order the benchmark asks for them. */
export const FARM_OBJECTS: readonly FarmObject[] = [
  { oid: '1.3.6.1.2.1.1.3.0', kind: 'timeticks', ifIndex: 0, column: 3 }, // sysUpTime.0
  { oid: '1.3.6.1.2.1.1.5.0', kind: 'octets', ifIndex: 0, column: 5 }, // sysName.0
  ...Array.from({ length: FARM_INTERFACES }, (_, i) =>
    IF_COLUMNS.map((c, column) => ({ oid: `${c.prefix}.${i + 1}`, kind: c.kind, ifIndex: i + 1, column })),
  ).flat(),
];

export interface AgentFarm {
  readonly pid: number;
  /** The UDP port of each agent on 127.0.0.1, agent 0 first. */
  readonly ports: readonly number[];
  /** How the open-files limit was handled, for the report. */
  readonly fdLimit: string;
  stats(): Promise<FarmStats>;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./snmp-agent-farm-child.ts', import.meta.url));
/** Descriptors the child needs besides its agents' sockets (stdio, IPC, Node's own). */
const SPARE_FDS = 64;

/** Soft and hard `Max open files` of this process (a child inherits them). */
function openFilesLimits(): { soft: number; hard: number } {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line ?? '').replace('Max open files', '').trim().split(/\s+/);
  const num = (v: string | undefined): number => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: num(soft), hard: num(hard) };
}

export async function startAgentFarm(params: FarmParams, startDeadlineMs = 60_000): Promise<AgentFarm> {
  const needed = params.agents + SPARE_FDS;
  const { soft, hard } = openFilesLimits();
  if (needed > hard)
    throw new Error(`${params.agents} agents need ${needed} open files; the hard limit here is ${hard}`);
  const nodeArgs = ['--import', 'tsx', CHILD];
  const env = { ...process.env, VIGIE_FARM: JSON.stringify(params) };
  const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
  let child: ChildProcess;
  let fdLimit: string;
  if (needed <= soft) {
    child = spawn(process.execPath, nodeArgs, { env, stdio });
    fdLimit = `soft limit ${soft} is enough`;
  } else {
    const raised = Number.isFinite(hard) ? hard : needed;
    child = spawn(
      'sh',
      ['-c', 'ulimit -n "$1" && shift && exec "$@"', 'sh', String(raised), process.execPath, ...nodeArgs],
      {
        env,
        stdio,
      },
    );
    fdLimit = `soft limit raised from ${soft} to ${raised} for the simulator`;
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('the agent simulator did not start');

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ports = await new Promise<readonly number[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the agent simulator was not ready within ${startDeadlineMs} ms`));
    }, startDeadlineMs);
    const onMessage = (message: FarmMessage): void => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message.ports);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`the agent simulator failed: ${message.message}`));
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the agent simulator exited (${String(code ?? signal)}) before it was ready`));
    });
  });

  const ask = (request: FarmRequest): void => {
    child.send(request);
  };
  return {
    pid,
    ports,
    fdLimit,
    stats: () =>
      new Promise<FarmStats>((resolve) => {
        const onMessage = (message: FarmMessage): void => {
          if (message.type !== 'stats') return;
          child.off('message', onMessage);
          resolve(message.stats);
        };
        child.on('message', onMessage);
        ask({ type: 'stats' });
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) ask({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
