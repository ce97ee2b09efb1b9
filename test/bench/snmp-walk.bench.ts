/**
 * SNMP walk benchmark (DESIGN.md section 9, issue 4): Vigie's GetBulk subtree walk against
 * net-snmp's `snmpbulkwalk` (C), the same roots on the same snmpd, the same max-repetitions.
 *
 * - in-process: `NetSnmpClient.subtree(target, root, N)` timed in this process (the walk the
 *   device poller runs), with this process's CPU time per walk;
 * - anchor: `snmpbulkwalk -v2c -c public -CrN -On -Oq -t 5 -r 0 host:port root` timed from spawn to
 *   exit (process start included, as a person running it sees it). MIBS is emptied, as in
 *   test/servers/snmp-cli.ts, so it reads no MIB file at start (a faster anchor, not a slower one);
 * - CLI figure: `node bin/vigie.js device walk <device> <profile> --json --config <file>
 *   [--max-repetitions N]` from spawn to exit, when the built CLI has that command (`vigie --help`
 *   lists it; the option is passed when the help offers it); the config file holds one device
 *   pointing at the snmpd. Profiles: VIGIE_BENCH_WALK_PROFILES (comma-separated, default `if-mib`,
 *   which walks the ifTable and ifXTable columns it reads). Beside it, `vigie --help` alone (the
 *   CLI's start) and snmpbulkwalk of ifXTable. Until the command exists the bench prints that the
 *   figure is not available.
 *
 * Roots: ifXTable (1.3.6.1.2.1.31.1.1) and the whole mib-2 (1.3.6.1.2.1) of the host's snmpd; the
 * mib-2 count depends on the host (processes, installed packages, TCP connections) and is printed.
 * snmpd is told not to log each request (dontLogTCPWrappersConnects): the harness reads its log in
 * this process, which would add to Vigie's side. Rounds are interleaved, the order rotating. CPU per
 * walk is printed for each side (this process's cpuUsage; snmpbulkwalk's own rusage through bash's
 * `time`, in runs apart from the timed ones) and for snmpd (from /proc), whose share is the same
 * for both; then the whole mib-2 again at -Cr10 and -Cr50, fewer rounds, because the ratio depends
 * on the page size (per-page overhead). Then a check that both sides read the same
 * varbinds: snmpbulkwalk (typed output) before and after a Vigie walk; a varbind on which the two
 * CLI walks agree must match Vigie's exactly; the others moved between walks (counters, uptime,
 * processes coming and going) and are counted apart.
 *
 * Beside them, the columns the if-mib profile reads, walked one subtree per column and all together
 * with walkColumns (one GetBulk carrying every column), with a check that both read the same OIDs.
 *
 * Prints medians, p90s, the ratio of medians and the paired ratio (median of per-round ratios)
 * against the target; asserts nothing.
 *
 * Figures on the 2-core machine, shared with other work (load 9-17 during most runs): ifXTable
 * 0.1x; mib-2 1.05-1.25x, paired 0.97-1.23x, median of five runs 1.13x (target 1.0x not met; at
 * -Cr50 0.8x); if-mib columns together 0.1x the time of one walk per column. Walking mib-2 as 2 or
 * 4 concurrent OID ranges (split where the walk stands, ranges concatenated in order) read the same
 * varbinds but was no faster (paired 1.11-1.30x) and cost up to 18 % more CPU: left out (git
 * history has it, for a measurement on a quiet machine).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { NetSnmpClient } from '../../electron/engine/adapters/snmp/net-snmp-client';
import type { SnmpV2cTarget, SnmpValue, SnmpVarbind } from '../../electron/engine/ports/snmp-client';
import { loadMibProfiles } from '../../electron/engine/services/equipment/profiles/load-profiles';
import { planProfiles } from '../../electron/engine/services/equipment/profiles/plan-profiles';
import { pathOf, requireBinaries } from '../servers/common';
import type { CliVarbind } from '../servers/snmp-cli';
import { SNMP_CLI_REQUIREMENTS, snmpBulkWalk } from '../servers/snmp-cli';
import type { SnmpdHandle } from '../servers/snmpd';
import { startSnmpd } from '../servers/snmpd';

const TARGET_RATIO = 1.0;
const MAX_REPETITIONS = 25;
/** Other max-repetitions, for the whole mib-2 only, fewer rounds: how the ratio depends on page size. */
const SWEEP = [10, 50] as const;
const SWEEP_ROUNDS = 15;
const WARMUP_ROUNDS = 3;
const ROUNDS = 40;
/** Runs of snmpbulkwalk under bash's `time`, for its CPU time (apart from the timed rounds). */
const CPU_ROUNDS = 10;
const CLI_ROUNDS = 10;
const TIMEOUT_MS = 5000;

const ROOTS = [
  { name: 'ifXTable', oid: '1.3.6.1.2.1.31.1.1', anchorMs: 8.8 },
  { name: 'mib-2', oid: '1.3.6.1.2.1', anchorMs: 83 },
] as const;

const BENCH_DEVICE = 'bench-snmpd';
const CLI_PROFILES = (process.env.VIGIE_BENCH_WALK_PROFILES ?? 'if-mib')
  .split(',')
  .map((p) => p.trim())
  .filter((p) => p !== '');

// ---------------------------------------------------------------------------------------------
// The sides

interface Sample {
  readonly wallMs: number;
  readonly varbinds: number;
  /** This process's CPU time (user + system) during the walk; NaN for child processes. */
  readonly cpuMs: number;
  /** snmpd's CPU ticks (1/CLK_TCK s) during the walk. */
  readonly snmpdTicks: number;
}

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function vigieWalk(
  client: NetSnmpClient,
  target: SnmpV2cTarget,
  root: string,
  snmpdPid: number,
  maxRepetitions = MAX_REPETITIONS,
): Promise<Sample & { result: SnmpVarbind[] }> {
  const signal = new AbortController().signal;
  const ticks = processTicks(snmpdPid);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await client.subtree(target, root, maxRepetitions, signal);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    wallMs,
    varbinds: result.length,
    cpuMs: (used.user + used.system) / 1000,
    snmpdTicks: processTicks(snmpdPid) - ticks,
    result,
  };
}

function bulkwalkArgs(server: SnmpdHandle, root: string, maxRepetitions = MAX_REPETITIONS): string[] {
  return [
    '-v2c',
    '-c',
    server.community,
    `-Cr${maxRepetitions}`,
    '-On',
    '-Oq',
    '-t',
    String(TIMEOUT_MS / 1000),
    '-r',
    '0',
    `${server.host}:${server.port}`,
    root,
  ];
}

/** Runs a command, timed from spawn to exit; resolves with its stdout. */
function timedRun(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ wallMs: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let exitedAt = Number.NaN;
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.once('exit', () => {
      exitedAt = performance.now();
    });
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`${command} exited ${String(code)}: ${err.trim()}`));
      else resolve({ wallMs: exitedAt - started, stdout: out });
    });
  });
}

async function cliWalk(
  binary: string,
  server: SnmpdHandle,
  root: string,
  snmpdPid: number,
  maxRepetitions = MAX_REPETITIONS,
): Promise<Sample> {
  const ticks = processTicks(snmpdPid);
  const { wallMs, stdout } = await timedRun(binary, bulkwalkArgs(server, root, maxRepetitions), {
    ...process.env,
    MIBS: '',
  });
  // One varbind per line starting with the numeric OID (-On -Oq); a string with a line break
  // continues on a line that does not start with a dot and a digit.
  let varbinds = 0;
  for (const line of stdout.split('\n')) if (/^\.\d/.test(line)) varbinds += 1;
  return { wallMs, varbinds, cpuMs: Number.NaN, snmpdTicks: processTicks(snmpdPid) - ticks };
}

/** snmpbulkwalk's own CPU time (user + system, ms) per walk: bash's `time` reads its rusage. */
async function cliCpu(binary: string, server: SnmpdHandle, root: string): Promise<number> {
  const script = 'TIMEFORMAT="%3U %3S"; time { "$0" "$@" >/dev/null; } 2>&1';
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, binary, ...bulkwalkArgs(server, root)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MIBS: '' },
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const match = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(err);
      if (code !== 0 || match === null)
        reject(new Error(`bash time snmpbulkwalk exited ${String(code)}: ${err}`));
      else resolve((Number(match[1]) + Number(match[2])) * 1000);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The CLI figure (`vigie device walk`)

const VIGIE_BIN = path.resolve('bin/vigie.js');

/** `vigie --help` of the built CLI (bin/vigie.js runs out/main/cli.js). */
function cliHelp(): string {
  const help = spawnSync(process.execPath, [VIGIE_BIN, '--help'], { encoding: 'utf8', timeout: 30_000 });
  return `${help.stdout}${help.stderr}`;
}

/** Why the CLI figure cannot be measured, or undefined when `vigie device walk` is there. */
function cliUnavailable(help: string): string | undefined {
  if (/not built yet/.test(help)) return 'the CLI is not built (npm run build)';
  if (!/vigie device walk/.test(help)) return 'vigie device walk missing';
  return undefined;
}

/** A Vigie configuration with one device: the snmpd under benchmark (community in clear: a lab). */
function benchConfig(server: SnmpdHandle): string {
  return [
    'inventory:',
    '  zones:',
    '    - { id: bench, name: Benchmark, kind: primary }',
    '  devices:',
    `    - id: ${BENCH_DEVICE}`,
    '      zone: bench',
    '      name: snmpd under benchmark',
    '      kind: switch',
    `      address: ${server.host}`,
    '      uplinkIfIndex: 1',
    `      snmp: { version: '2c', port: ${server.port}, community: ${server.community} }`,
    '',
  ].join('\n');
}

/** `--max-repetitions` is passed when the CLI's help offers it, so that both sides ask alike. */
function cliArgs(profile: string, configFile: string, maxRepetitionsOption: boolean): string[] {
  return [
    VIGIE_BIN,
    'device',
    'walk',
    BENCH_DEVICE,
    profile,
    '--json',
    '--config',
    configFile,
    ...(maxRepetitionsOption ? ['--max-repetitions', String(MAX_REPETITIONS)] : []),
  ];
}

/** What the CLI's JSON says about its own work, when it says it (`ms`, `requests.sent`, `varbinds`). */
function cliOwnFigures(stdout: string): string {
  const parsed: unknown = JSON.parse(stdout);
  if (typeof parsed !== 'object' || parsed === null) return '';
  const o = parsed as { ms?: unknown; varbinds?: unknown; requests?: { sent?: unknown } };
  const parts: string[] = [];
  if (typeof o.requests?.sent === 'number') parts.push(`${o.requests.sent} requests`);
  if (typeof o.varbinds === 'number') parts.push(`${o.varbinds} varbinds`);
  if (typeof o.ms === 'number') parts.push(`the walk itself ${o.ms} ms by its own clock`);
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Agreement check

/** Vigie's value in snmp-cli.ts's canonical form; printable octets may also read as `0x...` text. */
function canonicalValues(value: SnmpValue): string[] {
  switch (value.type) {
    case 'octets': {
      const asText = `octets:${Buffer.from(value.value, 'utf8').toString('hex')}`;
      return /^0x([0-9a-f]{2})*$/.test(value.value) ? [`octets:${value.value.slice(2)}`, asText] : [asText];
    }
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
    case 'oid':
    case 'ipaddress':
      return [`${value.type}:${value.value}`];
    case 'counter64':
      return [`counter64:${value.value.toString()}`];
    case 'null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return [value.type];
  }
}

interface Agreement {
  readonly vigie: number;
  readonly cliBefore: number;
  readonly cliAfter: number;
  /** Varbinds both CLI walks read alike, and Vigie too. */
  readonly stableAgree: number;
  /** Varbinds both CLI walks read alike and Vigie did not (missing or another value): must be 0. */
  readonly stableMismatch: number;
  readonly mismatchExamples: readonly string[];
  /** Varbinds that moved between the two CLI walks (values, rows coming and going). */
  readonly moved: number;
  /** Of those, Vigie's value is neither CLI walk's (a counter read in between, a row of its own). */
  readonly movedOther: number;
}

async function checkAgreement(
  client: NetSnmpClient,
  target: SnmpV2cTarget,
  server: SnmpdHandle,
  root: string,
): Promise<Agreement> {
  const signal = new AbortController().signal;
  const before = await snmpBulkWalk(server.host, server.port, server.community, root);
  const ours = await client.subtree(target, root, MAX_REPETITIONS, signal);
  const after = await snmpBulkWalk(server.host, server.port, server.community, root);
  const byOid = (list: readonly CliVarbind[]): Map<string, string> =>
    new Map(list.map((v) => [v.oid, v.value]));
  const a = byOid(before);
  const b = byOid(after);
  const v = new Map(ours.map((vb) => [vb.oid, canonicalValues(vb.value)]));
  const oids = new Set([...a.keys(), ...b.keys(), ...v.keys()]);
  let stableAgree = 0;
  let stableMismatch = 0;
  let moved = 0;
  let movedOther = 0;
  const examples: string[] = [];
  for (const oid of oids) {
    const x = a.get(oid);
    const y = b.get(oid);
    const mine = v.get(oid);
    if (x !== undefined && x === y) {
      if (mine?.includes(x)) stableAgree += 1;
      else {
        stableMismatch += 1;
        if (examples.length < 5) examples.push(`${oid}: cli ${x}, vigie ${mine?.join(' | ') ?? '(missing)'}`);
      }
    } else {
      moved += 1;
      const same =
        mine !== undefined &&
        ((x !== undefined && mine.includes(x)) || (y !== undefined && mine.includes(y)));
      const absentAlike = mine === undefined && (x === undefined || y === undefined);
      if (!same && !absentAlike) movedOther += 1;
    }
  }
  return {
    vigie: ours.length,
    cliBefore: before.length,
    cliAfter: after.length,
    stableAgree,
    stableMismatch,
    mismatchExamples: examples,
    moved,
    movedOther,
  };
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

/**
 * The median over rounds of Vigie's time over snmpbulkwalk's in the same round: load from other work
 * that comes and goes between rounds cancels out of it, where it shifts two medians apart.
 */
function paired(vigie: readonly number[], anchor: readonly number[]): number {
  return summary(vigie.flatMap((x, i) => (anchor[i] === undefined ? [] : [x / anchor[i]]))).median;
}

const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const ticksPerWalk = (samples: readonly Sample[]): string =>
  `${((samples.reduce((n, s) => n + s.snmpdTicks, 0) * 10) / Math.max(1, samples.length)).toFixed(1)} ms`;

function range(samples: readonly Sample[]): string {
  const counts = samples.map((s) => s.varbinds);
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? String(lo) : `${lo}..${hi}`;
}

/** One measurement; `keep` is false during the warm-up rounds. */
type Task = (keep: boolean) => Promise<void>;

/** Warm-up, then interleaved rounds; the order rotates, so no side always follows the same one. */
async function runRounds(tasks: readonly Task[], warmup: number, rounds: number): Promise<void> {
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[(i + round) % tasks.length];
      if (task) await task(round >= warmup);
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const bulkwalk = pathOf(requireBinaries(SNMP_CLI_REQUIREMENTS), 'snmpbulkwalk');
  let server: SnmpdHandle | undefined;
  const client = new NetSnmpClient();
  let configDir: string | undefined;
  try {
    // snmpd logs every request ("Connection from UDP: ...") to stdout, which the harness captures
    // in this process: that would add the harness's CPU to Vigie's side and snmpd's writes to both.
    server = await startSnmpd({ extraConfig: ['dontLogTCPWrappersConnects yes'] });
    const snmpd = server;
    const pid = snmpd.process.pid;
    if (pid === undefined) throw new Error('snmpd has no pid');
    const target: SnmpV2cTarget = {
      version: '2c',
      host: snmpd.host,
      port: snmpd.port,
      community: snmpd.community,
      timeoutMs: TIMEOUT_MS,
    };
    console.log(
      `snmpd udp:${snmpd.host}:${snmpd.port} (the host's own MIB-2); max-repetitions ${MAX_REPETITIONS} on both sides`,
    );
    console.log(`anchor: ${bulkwalk} ${bulkwalkArgs(snmpd, '<root>').join(' ')}  (MIBS='')`);

    const samples = new Map<string, { vigie: Sample[]; cli: Sample[] }>();
    const tasks: Task[] = [];
    for (const root of ROOTS) {
      const s = { vigie: [] as Sample[], cli: [] as Sample[] };
      samples.set(root.name, s);
      tasks.push(async (keep) => {
        const r = await vigieWalk(client, target, root.oid, pid);
        if (keep) s.vigie.push(r);
      });
      tasks.push(async (keep) => {
        const r = await cliWalk(bulkwalk, snmpd, root.oid, pid);
        if (keep) s.cli.push(r);
      });
    }
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    await runRounds(tasks, WARMUP_ROUNDS, ROUNDS);

    console.log(
      `\nload average before the rounds ${load} on ${availableParallelism()} CPUs ` +
        '(other work on the machine shows in the p90s)',
    );
    console.log(
      `${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up (order rotating); in-process = ` +
        'NetSnmpClient.subtree in this process; snmpbulkwalk = spawn to exit',
    );
    for (const root of ROOTS) {
      const s = samples.get(root.name);
      if (!s) continue;
      const v = summary(s.vigie.map((x) => x.wallMs));
      const c = summary(s.cli.map((x) => x.wallMs));
      const cpu = summary(s.vigie.map((x) => x.cpuMs));
      const countsDiffer = s.vigie.filter((x, i) => x.varbinds !== s.cli[i]?.varbinds).length;
      console.log(
        `${root.name} (${root.oid}), ${range(s.vigie)} varbinds (snmpbulkwalk ${range(s.cli)}; ` +
          `rounds with different counts ${countsDiffer}):`,
      );
      console.log(
        `  in-process median ${ms(v.median)} ms (p90 ${ms(v.p90)}) | ` +
          `snmpbulkwalk median ${ms(c.median)} ms (p90 ${ms(c.p90)}; issue's figure ${root.anchorMs} ms) | ` +
          `ratio ${(v.median / c.median).toFixed(2)}x, paired ` +
          `${paired(
            s.vigie.map((x) => x.wallMs),
            s.cli.map((x) => x.wallMs),
          ).toFixed(2)}x ` +
          `(target <= ${TARGET_RATIO.toFixed(1)}x)`,
      );
      const cliCpuMs: number[] = [];
      for (let i = 0; i < CPU_ROUNDS; i++) cliCpuMs.push(await cliCpu(bulkwalk, snmpd, root.oid));
      console.log(
        `  CPU per walk (medians): Vigie ${ms(cpu.median)} ms (this process, user + system) | snmpbulkwalk ` +
          `${ms(summary(cliCpuMs).median)} ms (its own, process start included; bash time, ${CPU_ROUNDS} runs ` +
          `after the rounds) | snmpd ${ticksPerWalk(s.vigie)} under Vigie, ${ticksPerWalk(s.cli)} under ` +
          'snmpbulkwalk (10 ms ticks, averaged)',
      );
    }

    // The columns a profile reads (if-mib: ifTable and ifXTable columns), walked one subtree per
    // column as the poller did before, and all together by walkColumns, as it does now.
    const ifMib = (await loadMibProfiles(path.resolve('resources/mib-profiles'))).filter(
      (p) => p.id === 'if-mib',
    );
    const columns = planProfiles(ifMib).walk;
    const perColumn: number[] = [];
    const together: number[] = [];
    let agree = true;
    await runRounds(
      [
        async (keep) => {
          const started = performance.now();
          const out: SnmpVarbind[][] = [];
          for (const c of columns)
            out.push(await client.subtree(target, c, MAX_REPETITIONS, new AbortController().signal));
          if (keep) perColumn.push(performance.now() - started);
          const walked = await client.walkColumns(
            target,
            columns,
            MAX_REPETITIONS,
            new AbortController().signal,
          );
          agree &&= walked.every(
            (col, i) => col.map((vb) => vb.oid).join() === out[i]?.map((vb) => vb.oid).join(),
          );
        },
        async (keep) => {
          const started = performance.now();
          await client.walkColumns(target, columns, MAX_REPETITIONS, new AbortController().signal);
          if (keep) together.push(performance.now() - started);
        },
      ],
      WARMUP_ROUNDS,
      ROUNDS,
    );
    console.log(
      `\nif-mib profile's ${columns.length} columns, -Cr${MAX_REPETITIONS}, ${ROUNDS} interleaved rounds: one subtree ` +
        `per column median ${ms(summary(perColumn).median)} ms | walkColumns (all columns per GetBulk) median ` +
        `${ms(summary(together).median)} ms | ratio ${(summary(together).median / summary(perColumn).median).toFixed(2)}x, ` +
        `paired ${paired(together, perColumn).toFixed(2)}x | same OIDs per column: ${agree ? 'yes' : 'NO'}`,
    );

    const mib2 = ROOTS[1];
    console.log(`\nmax-repetitions sweep, ${mib2.name} only, ${SWEEP_ROUNDS} interleaved rounds each:`);
    for (const n of SWEEP) {
      const v: number[] = [];
      const c: number[] = [];
      await runRounds(
        [
          async (keep) => {
            const r = await vigieWalk(client, target, mib2.oid, pid, n);
            if (keep) v.push(r.wallMs);
          },
          async (keep) => {
            const r = await cliWalk(bulkwalk, snmpd, mib2.oid, pid, n);
            if (keep) c.push(r.wallMs);
          },
        ],
        1,
        SWEEP_ROUNDS,
      );
      const vm = summary(v).median;
      const cm = summary(c).median;
      console.log(
        `  -Cr${n}: in-process median ${ms(vm)} ms | snmpbulkwalk median ${ms(cm)} ms | ` +
          `ratio ${(vm / cm).toFixed(2)}x, paired ${paired(v, c).toFixed(2)}x`,
      );
    }

    console.log('\nagreement (snmpbulkwalk -On -Oe before and after one Vigie walk):');
    for (const root of ROOTS) {
      const a = await checkAgreement(client, target, snmpd, root.oid);
      console.log(
        `  ${root.name}: vigie ${a.vigie} varbinds, snmpbulkwalk ${a.cliBefore} / ${a.cliAfter}; ` +
          `stable ${a.stableAgree + a.stableMismatch}, mismatches ${a.stableMismatch}; ` +
          `moved between the CLI walks ${a.moved} (Vigie read a third value or row: ${a.movedOther})`,
      );
      for (const e of a.mismatchExamples) console.log(`    mismatch ${e}`);
    }

    const help = cliHelp();
    const unavailable = cliUnavailable(help);
    if (unavailable !== undefined) {
      console.log(`\nCLI figure: not available yet (${unavailable})`);
      console.log(
        `  once it lands: node bin/vigie.js device walk ${BENCH_DEVICE} <profile> --json --config <file>, ` +
          'the file holding one device pointing at this snmpd; this bench picks it up by itself',
      );
    } else {
      configDir = await mkdtemp(path.join(tmpdir(), 'vigie-bench-walk-'));
      const configFile = path.join(configDir, 'vigie.yaml');
      await writeFile(configFile, benchConfig(snmpd), { mode: 0o600 });
      const withReps = /--max-repetitions/.test(help);
      console.log(
        `\nCLI figure (built CLI, out/main/cli.js): node bin/vigie.js ` +
          `${cliArgs('<profile>', configFile, withReps).slice(1).join(' ')}`,
      );
      const ifx = ROOTS[0];
      for (const profile of CLI_PROFILES) {
        const cliSamples: number[] = [];
        const startOnly: number[] = [];
        const anchor: number[] = [];
        let own = '';
        const cliTasks: Task[] = [
          async (keep) => {
            const r = await timedRun(process.execPath, cliArgs(profile, configFile, withReps), process.env);
            own = cliOwnFigures(r.stdout);
            if (keep) cliSamples.push(r.wallMs);
          },
          async (keep) => {
            const r = await timedRun(process.execPath, [VIGIE_BIN, '--help'], process.env);
            if (keep) startOnly.push(r.wallMs);
          },
          async (keep) => {
            const r = await cliWalk(bulkwalk, snmpd, ifx.oid, pid);
            if (keep) anchor.push(r.wallMs);
          },
        ];
        try {
          await runRounds(cliTasks, 1, CLI_ROUNDS);
        } catch (err: unknown) {
          console.log(`  ${profile}: failed: ${err instanceof Error ? err.message : String(err)}`);
          continue;
        }
        const c = summary(cliSamples);
        const a = summary(anchor);
        console.log(
          `  vigie device walk ${profile} (${own || 'JSON'}): median ${ms(c.median)} ms (p90 ${ms(c.p90)}), ` +
            `process start included | vigie --help alone (the CLI's start) ${ms(summary(startOnly).median)} ms | ` +
            `snmpbulkwalk ${ifx.name} median ${ms(a.median)} ms | ratio ${(c.median / a.median).toFixed(2)}x ` +
            `(${CLI_ROUNDS} interleaved rounds)`,
        );
      }
    }
  } finally {
    await client.close();
    await server?.stop();
    if (configDir !== undefined) await rm(configDir, { recursive: true, force: true });
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
