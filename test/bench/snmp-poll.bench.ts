/**
 * SNMP poll benchmark (DESIGN.md section 9, issue 4): 2,000 simulated agents x 50 scalar OIDs each,
 * polled by one NetSnmpClient (its default pool of UDP sockets) with bounded concurrency, as the
 * collector polls (a semaphore of polling.maxConcurrent, default 32, one device per slot).
 *
 * The agents run in a child process (test/bench/support/snmp-agent-farm.ts: one UDP port per agent,
 * SNMPv2c GET, values that change), so that only Vigie's work is counted in this process's CPU.
 * One cycle = every agent asked once: one GET of 50 OIDs (or, in the variant for agents that limit
 * the size of a PDU, two GETs of 25 in a row). Cycles run back to back (no interval), after one
 * warm-up cycle per setting.
 *
 * Prints, per concurrency level: wall time per cycle (median, p90), OIDs per CPU-second of this
 * process (process.cpuUsage over the measured cycles), the simulator's CPU, timeouts and errors,
 * the sockets held (the pool's count and this process's socket descriptors from /proc/self/fd);
 * against the targets >= 45,000 OIDs per CPU-second and <= 64 sockets. Asserts nothing.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { pathOf, requireBinaries } from '../servers/common';
import { SNMP_CLI_REQUIREMENTS } from '../servers/snmp-cli';
import { NetSnmpClient } from '../../electron/engine/adapters/snmp/net-snmp-client';
import type { SnmpV2cTarget } from '../../electron/engine/ports/snmp-client';
import { UpstreamError } from '../../electron/engine/ports/upstream-error';
import type { AgentFarm, FarmKind, FarmStats } from './support/snmp-agent-farm';
import { FARM_OBJECTS, startAgentFarm } from './support/snmp-agent-farm';
import { spawnSync } from 'node:child_process';

const AGENTS = Number(process.env.VIGIE_BENCH_AGENTS ?? 2000);
const COMMUNITY = 'public';
/** polling.timeoutMs's default. */
const TIMEOUT_MS = 2000;
/** A common agent buffer (an Ethernet frame's worth); the 50-OID answer fits in it. */
const MAX_RESPONSE_BYTES = 1472;
const TARGET_OIDS_PER_CPU_SECOND = 45_000;
const TARGET_SOCKETS = 64;
/** polling.maxConcurrent's default. */
const DEFAULT_CONCURRENCY = 32;
const WARMUP_CYCLES = 1;
const CYCLES = 5;

interface Batch {
  readonly oids: readonly string[];
  readonly kinds: readonly FarmKind[];
}

interface Variant {
  readonly name: string;
  readonly batches: readonly Batch[];
  readonly concurrency: readonly number[];
}

function batchesOf(size: number): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < FARM_OBJECTS.length; i += size) {
    const slice = FARM_OBJECTS.slice(i, i + size);
    out.push({ oids: slice.map((o) => o.oid), kinds: slice.map((o) => o.kind) });
  }
  return out;
}

const VARIANTS: readonly Variant[] = [
  {
    name: `1 GET of ${FARM_OBJECTS.length}`,
    batches: batchesOf(FARM_OBJECTS.length),
    concurrency: [8, 32, 128, 512],
  },
  {
    name: `2 GETs of ${FARM_OBJECTS.length / 2}`,
    batches: batchesOf(FARM_OBJECTS.length / 2),
    concurrency: [32, 128],
  },
];

/** The collector's bound on polls in flight (electron/engine/services/collector/collector.ts). */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

interface CycleResult {
  readonly wallMs: number;
  readonly oids: number;
  readonly errors: ReadonlyMap<string, number>;
  /** Varbinds of another type than the agent serves (must be 0). */
  readonly wrongTypes: number;
  /** Agents whose sysUpTime did not advance since the previous cycle (must be 0). */
  readonly staleAgents: number;
}

/** Every agent once, `concurrency` at a time; an agent's GETs one after the other. */
async function cycle(
  client: NetSnmpClient,
  ports: readonly number[],
  batches: readonly Batch[],
  concurrency: number,
  lastUptime: Map<number, number>,
): Promise<CycleResult> {
  const semaphore = new Semaphore(concurrency);
  const signal = new AbortController().signal;
  const errors = new Map<string, number>();
  let oids = 0;
  let wrongTypes = 0;
  let staleAgents = 0;
  const started = performance.now();
  await Promise.all(
    ports.map((port) =>
      semaphore.run(async () => {
        // A fresh target per poll, as the collector builds one (secrets resolved) per poll.
        const target: SnmpV2cTarget = {
          version: '2c',
          host: '127.0.0.1',
          port,
          community: COMMUNITY,
          timeoutMs: TIMEOUT_MS,
        };
        for (const batch of batches) {
          try {
            const varbinds = await client.get(target, batch.oids, signal);
            oids += varbinds.length;
            for (const [i, vb] of varbinds.entries()) {
              if (vb.value.type !== batch.kinds[i]) wrongTypes += 1;
              else if (vb.oid === FARM_OBJECTS[0]?.oid && vb.value.type === 'timeticks') {
                if (vb.value.value <= (lastUptime.get(port) ?? -1)) staleAgents += 1;
                lastUptime.set(port, vb.value.value);
              }
            }
          } catch (err: unknown) {
            const code = err instanceof UpstreamError ? err.code : err instanceof Error ? err.name : 'OTHER';
            errors.set(code, (errors.get(code) ?? 0) + 1);
          }
        }
      }),
    ),
  );
  return { wallMs: performance.now() - started, oids, errors, wrongTypes, staleAgents };
}

/** This process's open descriptors, and how many of them are sockets. */
function openFds(): { all: number; sockets: number } {
  let all = 0;
  let sockets = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      all += 1;
      if (link.startsWith('socket:')) sockets += 1;
    } catch (err: unknown) {
      // The descriptor readdir itself used is gone by now.
      void err;
    }
  }
  return { all, sockets };
}

/** One agent through net-snmp's own `snmpget`: proof that the simulator speaks SNMP as the C tools read it. */
function checkWithSnmpget(port: number): string {
  const snmpget = pathOf(requireBinaries(SNMP_CLI_REQUIREMENTS), 'snmpget');
  const oids = [FARM_OBJECTS[0]?.oid ?? '', FARM_OBJECTS[1]?.oid ?? '', FARM_OBJECTS.at(-2)?.oid ?? ''];
  const r = spawnSync(
    snmpget,
    ['-v2c', '-c', COMMUNITY, '-On', '-t', '2', '-r', '0', `127.0.0.1:${port}`, ...oids],
    { encoding: 'utf8', env: { ...process.env, MIBS: '' }, timeout: 10_000 },
  );
  if (r.status !== 0) throw new Error(`snmpget against the simulator failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').join(' | ');
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing

function quantile(sorted: readonly number[], q: number): number {
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at] ?? Number.NaN;
}

function summary(samples: readonly number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? Number.NaN)
      : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  return { median, p90: quantile(sorted, 0.9) };
}

const int = (x: number): string => Math.round(x).toLocaleString('en');
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

function errorText(results: readonly CycleResult[]): string {
  const total = new Map<string, number>();
  for (const r of results) for (const [code, n] of r.errors) total.set(code, (total.get(code) ?? 0) + n);
  if (total.size === 0) return 'no timeouts or errors';
  return [...total].map(([code, n]) => `${code} ${n}`).join(', ');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  let farm: AgentFarm | undefined;
  const before = openFds();
  const client = new NetSnmpClient();
  try {
    farm = await startAgentFarm({
      agents: AGENTS,
      community: COMMUNITY,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
    const { ports } = farm;
    const withFarm = openFds();
    console.log(
      `${AGENTS.toLocaleString('en')} simulated SNMPv2c agents x ${FARM_OBJECTS.length} scalar OIDs, one UDP port ` +
        `each, in a child process (pid ${farm.pid}; open files: ${farm.fdLimit}); answers of at most ` +
        `${MAX_RESPONSE_BYTES} bytes`,
    );
    console.log(`  snmpget of agent 0: ${checkWithSnmpget(ports[0] ?? 0)}`);
    console.log(
      `  this process before polling: ${withFarm.all} open descriptors, ${withFarm.sockets} of them sockets ` +
        `(${before.sockets} before the simulator started: its IPC channel is the difference)`,
    );
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(
      `load average ${load} on ${availableParallelism()} CPUs (other work on the machine shows in wall times)`,
    );
    console.log(
      `one NetSnmpClient, default pool; timeout ${TIMEOUT_MS} ms, no retry; ${WARMUP_CYCLES} warm-up + ${CYCLES} ` +
        'measured cycles per setting, back to back',
    );

    const lastUptime = new Map<number, number>();
    let firstCycle = true;
    for (const variant of VARIANTS) {
      console.log(`\n${variant.name} per agent per cycle (${AGENTS * FARM_OBJECTS.length} OIDs per cycle):`);
      for (const concurrency of variant.concurrency) {
        const results: CycleResult[] = [];
        for (let i = 0; i < WARMUP_CYCLES; i++) {
          const cpu = process.cpuUsage();
          const r = await cycle(client, ports, variant.batches, concurrency, lastUptime);
          if (firstCycle) {
            const used = process.cpuUsage(cpu);
            console.log(
              `  first cycle (opens ${client.socketStats().sessions} sessions): ${int(r.wallMs)} ms, ` +
                `CPU ${int((used.user + used.system) / 1000)} ms, ${errorText([r])}`,
            );
            firstCycle = false;
          }
        }
        const farmBefore: FarmStats = await farm.stats();
        const cpu = process.cpuUsage();
        for (let i = 0; i < CYCLES; i++)
          results.push(await cycle(client, ports, variant.batches, concurrency, lastUptime));
        const used = process.cpuUsage(cpu);
        const farmAfter = await farm.stats();
        const cpuSeconds = (used.user + used.system) / 1e6;
        const oids = results.reduce((n, r) => n + r.oids, 0);
        const rate = oids / cpuSeconds;
        const wall = summary(results.map((r) => r.wallMs));
        const pool = client.socketStats();
        const fds = openFds();
        const clientSockets = fds.sockets - withFarm.sockets;
        const sockets = Math.max(pool.sockets, clientSockets);
        console.log(
          `  concurrency ${concurrency}${concurrency === DEFAULT_CONCURRENCY ? ' (default)' : ''}: ` +
            `wall per cycle median ${int(wall.median)} ms (p90 ${int(wall.p90)}) | ` +
            `${int(rate)} OIDs per CPU-second (target >= ${int(TARGET_OIDS_PER_CPU_SECOND)}: ` +
            `${verdict(rate >= TARGET_OIDS_PER_CPU_SECOND)}) | CPU ${int((cpuSeconds * 1000) / CYCLES)} ms per cycle ` +
            `(user ${int(used.user / 1000 / CYCLES)}, system ${int(used.system / 1000 / CYCLES)}) | ` +
            `${int(oids / CYCLES)} OIDs per cycle, ${errorText(results)}`,
        );
        console.log(
          `    sockets: pool ${pool.sockets} for ${pool.sessions} sessions, this process's socket descriptors ` +
            `${fds.sockets} (${clientSockets} besides the simulator's IPC channel; ${fds.all} descriptors in all) ` +
            `(target <= ${TARGET_SOCKETS}: ${verdict(sockets <= TARGET_SOCKETS)}) | simulator CPU ` +
            `${int((farmAfter.cpuMicros - farmBefore.cpuMicros) / 1000 / CYCLES)} ms per cycle, ` +
            `${farmAfter.tooBig - farmBefore.tooBig} tooBig, ${farmAfter.dropped - farmBefore.dropped} dropped | ` +
            `checks: wrong types ${results.reduce((n, r) => n + r.wrongTypes, 0)}, agents whose uptime ` +
            `did not advance ${results.reduce((n, r) => n + r.staleAgents, 0)}`,
        );
      }
    }
  } finally {
    await client.close();
    await farm?.stop();
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
