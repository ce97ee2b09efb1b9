/**
 * What the training estate's SSH-speaking devices answer to an exec request: the command line is
 * read as a POSIX shell would split it (plain words and single-quoted words only, which is all
 * `posixCommandLine` ever sends), then matched against the few read-only commands of Vigie's
 * diagnostic templates, word for word. Everything else (another program, other options, any shell
 * syntax: `;`, `&&`, `$( )`, backticks, redirections, globs, comments) is refused with exit status
 * 127 and one line on stderr, and nothing runs: these devices have no shell to inject into.
 *
 * Outputs are built from the estate's simulation at the instant of the request, in the formats of
 * the real tools (procps `uptime`, coreutils `df -P`, Linux /proc/net/dev, iproute2 `ip -s link`,
 * systemd `systemctl status`), so that the engine's parsers read them as they read a real host.
 * The switches run a Linux network OS: front ports are `swpN`, the management port `eth0`.
 */
import type { InterfacePlan, SwitchPlan } from './estate-definition';
import { hashString, mix, smoothNoise, unit } from './noise';
import type { ZoneCondition } from './simulation';

/** What a command ends with, as the SSH channel carries it. */
export interface CommandOutcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** What the answers are computed from: one switch, its zone's conditions and its counters. */
export interface SshDeviceState {
  readonly plan: SwitchPlan;
  /** The device's host name (its id, as sysName says over SNMP). */
  readonly hostname: string;
  readonly zoneId: string;
  /** Boot instant, epoch ms: the estate start, as sysUpTime counts it. */
  readonly bootedAt: number;
  zoneCondition(now: number): ZoneCondition;
  /** ifHCInOctets / ifHCOutOctets of a port, exact 64-bit. */
  octets(ifIndex: number, direction: 'in' | 'out', now: number): bigint;
}

// ---------------------------------------------------------------------------------------------
// Command line

export type ParsedCommandLine =
  { readonly ok: true; readonly argv: readonly string[] } | { readonly ok: false; readonly reason: string };

/** Characters a POSIX shell takes literally outside quotes (no `=`, `~`, globs, `#`, `!`, `{`). */
const PLAIN = /[A-Za-z0-9_:,./+@%-]/;
const MAX_LINE = 4096;

/**
 * Splits a command line into words as a POSIX shell would, for the subset that holds no
 * expansion, redirection, list or comment: words of plain characters, backslash-escaped
 * characters and single-quoted parts (POSIX.1-2017 XCU 2.2.1 and 2.2.2: nothing is special inside
 * single quotes, so `'\''` writes a quote), separated by blanks. Anything else is refused, never
 * guessed at.
 */
export function parseCommandLine(line: string): ParsedCommandLine {
  if (line.length > MAX_LINE) return { ok: false, reason: `command line longer than ${MAX_LINE}` };
  const argv: string[] = [];
  let word: string | null = null;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== null) argv.push(word);
      word = null;
      i += 1;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, reason: 'unterminated quote' };
      const quoted = line.slice(i + 1, end);
      if (/[\p{Cc}]/u.test(quoted)) return { ok: false, reason: 'control character in a word' };
      word = (word ?? '') + quoted;
      i = end + 1;
    } else if (c === '\\') {
      // Outside quotes a backslash keeps the next character literal (`'\''` writes a quote).
      const next = line[i + 1];
      if (next === undefined || /[\p{Cc}]/u.test(next))
        return { ok: false, reason: 'backslash at the end of the line or before a control character' };
      word = (word ?? '') + next;
      i += 2;
    } else if (PLAIN.test(c)) {
      word = (word ?? '') + c;
      i += 1;
    } else {
      return {
        ok: false,
        reason: /[\p{Cc}]/u.test(c) ? 'control character' : `shell syntax ${JSON.stringify(c)}`,
      };
    }
  }
  if (word !== null) argv.push(word);
  if (argv.length === 0) return { ok: false, reason: 'empty command' };
  return { ok: true, argv };
}

/** The stderr line of a refusal, with the offending line shown safely (quoted, cut). */
function refusal(line: string, why: string): CommandOutcome {
  const shown = JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
  return {
    stdout: '',
    stderr: `estate-sh: ${shown}: refused (${why}): this training device runs only Vigie's diagnostic commands\n`,
    exitCode: 127,
  };
}

const sameWords = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((w, i) => w === b[i]);

/** The commands the devices know, as Vigie's templates render them (the parameter last). */
const UPTIME = ['uptime'];
const DF = ['df', '-P'];
const PROC_NET_DEV = ['cat', '/proc/net/dev'];
const IP_LINK = ['ip', '-s', 'link', 'show', 'dev'];
const SYSTEMCTL_STATUS = ['systemctl', 'status', '--no-pager', '--full', '--lines', '20', '--'];

/** Answers one exec request of a device at `now`. Never throws. */
export function answerCommand(device: SshDeviceState, line: string, now: number): CommandOutcome {
  const parsed = parseCommandLine(line);
  if (!parsed.ok) return refusal(line, parsed.reason);
  const { argv } = parsed;
  if (sameWords(argv, UPTIME)) return ok(uptimeText(device, now));
  if (sameWords(argv, DF)) return ok(dfText(device, now));
  if (sameWords(argv, PROC_NET_DEV)) return ok(procNetDevText(device, now));
  if (argv.length === IP_LINK.length + 1 && sameWords(argv.slice(0, -1), IP_LINK))
    return ipLinkShow(device, argv.at(-1)!, now);
  if (argv.length === SYSTEMCTL_STATUS.length + 1 && sameWords(argv.slice(0, -1), SYSTEMCTL_STATUS))
    return systemctlStatus(device, argv.at(-1)!, now);
  return refusal(line, 'not an allowed command');
}

const ok = (stdout: string): CommandOutcome => ({ stdout, stderr: '', exitCode: 0 });

// ---------------------------------------------------------------------------------------------
// uptime (procps-ng)

const two = (n: number): string => String(n).padStart(2, '0');

function clockTime(at: number): string {
  const d = new Date(at);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** Extra run-queue load while the zone is on battery (fans at full speed, log spooling, retries). */
const BATTERY_EXTRA_LOAD = 2.6;

/**
 * Load averages: a calm baseline with noise, and while the zone is on battery an extra load that
 * builds up with each average's own time constant (1, 5, 15 minutes, as the kernel's exponential
 * averages do) and decays the same way once mains is back.
 */
export function loadAverages(device: SshDeviceState, now: number): [number, number, number] {
  const key = hashString(`${device.hostname}/load`);
  const base = 0.35 + 0.15 * smoothNoise(key, now, 90_000);
  const condition = device.zoneCondition(now);
  const elapsed = Math.max(0, now - condition.since) / 1000;
  const wasOnBattery = condition.since > device.bootedAt;
  const minutes = [1, 5, 15] as const;
  const averages = minutes.map((m, i) => {
    const tau = m * 60;
    const extra =
      condition.power === 'battery'
        ? BATTERY_EXTRA_LOAD * (1 - Math.exp(-elapsed / tau))
        : wasOnBattery
          ? BATTERY_EXTRA_LOAD * Math.exp(-elapsed / tau)
          : 0;
    return Math.max(0, base * (1 - 0.1 * i) + extra + 0.05 * smoothNoise(key + i + 1, now, 20_000));
  });
  return [averages[0]!, averages[1]!, averages[2]!];
}

function uptimeText(device: SshDeviceState, now: number): string {
  const upMinutes = Math.floor(Math.max(0, now - device.bootedAt) / 60_000);
  const days = Math.floor(upMinutes / 1440);
  const hours = Math.floor((upMinutes % 1440) / 60);
  const minutes = upMinutes % 60;
  // procps-ng 3.3 print_uptime: " HH:MM:SS up [N day(s), ]{H:MM|N min},  N users,  load average: ..."
  let text = ` ${clockTime(now)} up `;
  if (days > 0) text += `${days} day${days === 1 ? '' : 's'}, `;
  text += hours > 0 ? `${String(hours).padStart(2)}:${two(minutes)}, ` : `${minutes} min, `;
  text += `${String(0).padStart(2)} users, `;
  const [one, five, fifteen] = loadAverages(device, now);
  return `${text} load average: ${one.toFixed(2)}, ${five.toFixed(2)}, ${fifteen.toFixed(2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// df -P (coreutils)

interface FileSystem {
  readonly source: string;
  readonly mount: string;
  readonly sizeKiB: number;
  /** Blocks kept for root (ext4 reserves 5 %): not available, not used. */
  readonly reservedKiB: number;
  usedKiB(device: SshDeviceState, now: number): number;
}

/** Logs written per second normally, and spooled on top while the log shipper is down. */
const LOG_KIB_PER_SECOND = 1.5;
const SPOOLED_KIB_PER_SECOND = 400;

const FILE_SYSTEMS: readonly FileSystem[] = [
  { source: 'udev', mount: '/dev', sizeKiB: 4_022_352, reservedKiB: 0, usedKiB: () => 0 },
  {
    source: 'tmpfs',
    mount: '/run',
    sizeKiB: 807_504,
    reservedKiB: 0,
    usedKiB: (d, now) =>
      9_568 + Math.round(40 * unit(hashString(`${d.hostname}/run`), Math.floor(now / 60_000))),
  },
  {
    source: '/dev/sda4',
    mount: '/',
    sizeKiB: 14_137_088,
    reservedKiB: 706_854,
    usedKiB: (d) => 3_412_996 + (hashString(`${d.hostname}/root`) % 50_000),
  },
  { source: 'tmpfs', mount: '/dev/shm', sizeKiB: 4_037_520, reservedKiB: 0, usedKiB: () => 0 },
  { source: '/dev/sda1', mount: '/boot/efi', sizeKiB: 523_248, reservedKiB: 0, usedKiB: () => 5_972 },
  {
    source: '/dev/sda5',
    mount: '/var/log',
    sizeKiB: 4_062_912,
    reservedKiB: 203_145,
    // Logs grow slowly; while the zone is on battery the shipper is down and they pile up locally
    // (sent and cleared once it is back). Never beyond what the file system holds.
    usedKiB: (d, now) => {
      const condition = d.zoneCondition(now);
      const elapsed = Math.max(0, now - d.bootedAt) / 1000;
      const spooled =
        condition.power === 'battery'
          ? (Math.max(0, now - condition.since) / 1000) * SPOOLED_KIB_PER_SECOND
          : 0;
      return Math.min(3_859_000, Math.round(873_212 + elapsed * LOG_KIB_PER_SECOND + spooled));
    },
  },
];

function dfText(device: SshDeviceState, now: number): string {
  const rows = FILE_SYSTEMS.map((fs) => {
    const used = fs.usedKiB(device, now);
    const available = Math.max(0, fs.sizeKiB - fs.reservedKiB - used);
    // coreutils: used / (used + available), rounded up; `-` when both are zero.
    const capacity = used + available === 0 ? '-' : `${Math.ceil((used * 100) / (used + available))}%`;
    return [fs.source, String(fs.sizeKiB), String(used), String(available), capacity, fs.mount];
  });
  const header = ['Filesystem', '1024-blocks', 'Used', 'Available', 'Capacity', 'Mounted on'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: readonly string[]): string =>
    cells
      .map((cell, i) =>
        i === 0 ? cell.padEnd(widths[0]!) : i === cells.length - 1 ? cell : cell.padStart(widths[i]!),
      )
      .join(' ');
  return `${[header, ...rows].map(format).join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Interfaces: /proc/net/dev and ip -s link

interface KernelInterface {
  readonly name: string;
  readonly linuxIndex: number;
  readonly port: InterfacePlan | null;
}

/** `Eth1/7` is `swp7` in a Linux network OS; the management port is `eth0`. */
export function kernelName(port: InterfacePlan): string {
  const front = /^Eth\d+\/(\d+)$/.exec(port.name);
  if (front) return `swp${front[1]}`;
  if (port.name.startsWith('mgmt')) return `eth${port.name.slice(4)}`;
  return port.name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 15);
}

function interfacesOf(device: SshDeviceState): KernelInterface[] {
  const ports = [...device.plan.interfaces].sort((a, b) => {
    const rank = (p: InterfacePlan): number => (kernelName(p).startsWith('eth') ? 0 : 1);
    return rank(a) - rank(b) || a.ifIndex - b.ifIndex;
  });
  return [
    { name: 'lo', linuxIndex: 1, port: null },
    ...ports.map((port, i) => ({ name: kernelName(port), linuxIndex: i + 2, port })),
  ];
}

interface Counters {
  readonly rxBytes: bigint;
  readonly rxPackets: bigint;
  readonly rxErrors: bigint;
  readonly rxDropped: bigint;
  readonly rxMulticast: bigint;
  readonly txBytes: bigint;
  readonly txPackets: bigint;
  readonly txErrors: bigint;
  readonly txDropped: bigint;
}

const MOD64 = 2n ** 64n;

function countersOf(device: SshDeviceState, iface: KernelInterface, now: number): Counters {
  const seconds = BigInt(Math.floor(Math.max(0, now - device.bootedAt) / 1000));
  if (iface.port === null) {
    // Loopback: the local SNMP agent, NTP and syslog chatter.
    const bytes = 1_048_576n + seconds * 4_210n;
    const packets = 9_214n + seconds * 31n;
    return {
      rxBytes: bytes,
      rxPackets: packets,
      rxErrors: 0n,
      rxDropped: 0n,
      rxMulticast: 0n,
      txBytes: bytes,
      txPackets: packets,
      txErrors: 0n,
      txDropped: 0n,
    };
  }
  const { ifIndex } = iface.port;
  const rxBytes = device.octets(ifIndex, 'in', now);
  const txBytes = device.octets(ifIndex, 'out', now);
  const key = hashString(`${device.hostname}/${ifIndex}/packets`);
  // Mean frame size per port (server ports carry more small packets than uplinks).
  const meanFrame = BigInt(700 + (mix(key, 1) % 600));
  const uplink = iface.port.speedMbps >= 100_000;
  return {
    rxBytes,
    rxPackets: rxBytes / meanFrame,
    rxErrors: 0n,
    rxDropped: uplink ? seconds / 900n : 0n,
    rxMulticast: rxBytes / meanFrame / 4_000n,
    txBytes,
    txPackets: txBytes / meanFrame,
    txErrors: 0n,
    txDropped: 0n,
  };
}

/** Linux net/core/net-procfs.c dev_seq_printf_stats: 16 columns after `name:`. */
function procNetDevText(device: SshDeviceState, now: number): string {
  const lines = [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
  ];
  for (const iface of interfacesOf(device)) {
    const c = countersOf(device, iface, now);
    const cells: [bigint, number][] = [
      [c.rxBytes, 8],
      [c.rxPackets, 7],
      [c.rxErrors, 4],
      [c.rxDropped, 4],
      [0n, 4],
      [0n, 5],
      [0n, 10],
      [c.rxMulticast, 9],
      [c.txBytes, 8],
      [c.txPackets, 7],
      [c.txErrors, 4],
      [c.txDropped, 4],
      [0n, 4],
      [0n, 5],
      [0n, 7],
      [0n, 10],
    ];
    lines.push(
      `${iface.name.padStart(6)}: ${cells.map(([v, w]) => String(v % MOD64).padStart(w)).join(' ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function macOf(device: SshDeviceState, iface: KernelInterface): string {
  const h = hashString(`${device.hostname}/mac`);
  // 44:38:39 is the OUI network OS vendors use for switch ports; then the switch, then the port.
  const bytes = [0x44, 0x38, 0x39, (h >>> 8) & 0xff, h & 0xff, iface.linuxIndex & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** iproute2 6.1 `ip -s link show dev NAME`, without `-h`: exact counters, columns sized to fit. */
function ipLinkShow(device: SshDeviceState, name: string, now: number): CommandOutcome {
  const iface = interfacesOf(device).find((i) => i.name === name);
  if (iface === undefined) return { stdout: '', stderr: `Device "${name}" does not exist.\n`, exitCode: 1 };
  const c = countersOf(device, iface, now);
  const lines: string[] = [];
  if (iface.port === null) {
    lines.push(
      `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000`,
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    );
  } else {
    const up = iface.port.operStatus === 'up';
    const flags = up ? 'BROADCAST,MULTICAST,UP,LOWER_UP' : 'NO-CARRIER,BROADCAST,MULTICAST,UP';
    lines.push(
      `${iface.linuxIndex}: ${iface.name}: <${flags}> mtu ${iface.port.mtu} qdisc mq state ${up ? 'UP' : 'DOWN'} mode DEFAULT group default qlen 1000`,
      `    link/ether ${macOf(device, iface)} brd ff:ff:ff:ff:ff:ff`,
      `    alias ${iface.port.alias}`,
    );
  }
  const table = (
    label: 'RX' | 'TX',
    headers: readonly string[],
    values: readonly bigint[],
  ): [string, string] => {
    const widths = headers.map((h, i) => Math.max(h.length, String(values[i]).length));
    return [
      `    ${label}: ${headers.map((h, i) => h.padStart(widths[i]!)).join(' ')}`,
      `    ${' '.repeat(label.length + 1)} ${values.map((v, i) => String(v).padStart(widths[i]!)).join(' ')}`,
    ];
  };
  lines.push(
    ...table(
      'RX',
      ['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast'],
      [c.rxBytes, c.rxPackets, c.rxErrors, c.rxDropped, 0n, c.rxMulticast],
    ),
    ...table(
      'TX',
      ['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns'],
      [c.txBytes, c.txPackets, c.txErrors, c.txDropped, 0n, 0n],
    ),
  );
  return ok(`${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// systemctl status (systemd 252)

interface UnitPlan {
  readonly name: string;
  readonly description: string;
  readonly exec: string;
  readonly process: string;
  readonly pid: number;
  /** Seconds after boot it started. */
  readonly startedAfter: number;
  readonly memory: string;
  readonly docs?: readonly string[];
  /** Fails while the device's zone is on battery. */
  readonly failsOnBattery?: { readonly journal: readonly string[] };
}

const UNITS: readonly UnitPlan[] = [
  {
    name: 'ssh.service',
    description: 'OpenBSD Secure Shell server',
    exec: '/usr/sbin/sshd -D',
    process: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
    pid: 812,
    startedAfter: 6,
    memory: '5.9M',
    docs: ['man:sshd(8)', 'man:sshd_config(5)'],
  },
  {
    name: 'snmpd.service',
    description: 'Simple Network Management Protocol (SNMP) Daemon.',
    exec: '/usr/sbin/snmpd -LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -f',
    process: '/usr/sbin/snmpd -LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -f',
    pid: 904,
    startedAfter: 7,
    memory: '14.2M',
  },
  {
    name: 'lldpd.service',
    description: 'LLDP daemon',
    exec: '/usr/sbin/lldpd',
    process: 'lldpd: monitor.',
    pid: 877,
    startedAfter: 6,
    memory: '3.1M',
    docs: ['man:lldpd(8)'],
  },
  {
    name: 'frr.service',
    description: 'FRRouting',
    exec: '/usr/lib/frr/frrinit.sh start',
    process: '/usr/lib/frr/watchfrr -d -F traditional zebra bgpd staticd',
    pid: 1021,
    startedAfter: 9,
    memory: '48.7M',
    docs: ['https://frrouting.readthedocs.io/en/latest/setup.html'],
  },
  {
    name: 'log-shipper.service',
    description: 'Ship local logs to the central log servers',
    exec: '/usr/bin/log-shipper --config /etc/log-shipper/log-shipper.conf',
    process: '/usr/bin/log-shipper --config /etc/log-shipper/log-shipper.conf',
    pid: 1133,
    startedAfter: 11,
    memory: '11.4M',
    // The central log servers sit in racks shed when the zone runs on battery.
    failsOnBattery: {
      journal: [
        'log-shipper[{pid}]: error: logs.{zone}.internal:6514: connect: no route to host',
        'log-shipper[{pid}]: fatal: no log server reachable after 3 attempts, spooling to /var/log/spool',
        'systemd[1]: log-shipper.service: Main process exited, code=exited, status=1/FAILURE',
        "systemd[1]: log-shipper.service: Failed with result 'exit-code'.",
        'systemd[1]: log-shipper.service: Scheduled restart job, restart counter is at 5.',
        'systemd[1]: log-shipper.service: Start request repeated too quickly.',
        'systemd[1]: Failed to start log-shipper.service - Ship local logs to the central log servers.',
      ],
    },
  },
];

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function timestamp(at: number): string {
  const d = new Date(at);
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  return `${WEEKDAYS[d.getUTCDay()]} ${date} ${clockTime(at)} UTC`;
}

function journalTime(at: number): string {
  const d = new Date(at);
  return `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${clockTime(at)}`;
}

/** systemd format_timespan at one-second accuracy: "3min 12s", "2h 5s" ("Duration:"). */
export function timespan(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  if (s === 0) return '0';
  const parts: string[] = [];
  for (const [size, suffix] of [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
  ] as const) {
    if (s < size) continue;
    const n = Math.floor(s / size);
    s -= n * size;
    parts.push(`${n}${suffix}`);
  }
  return parts.join(' ');
}

/** systemd format_timestamp_relative: "41 days ago", "1 day 3h ago", "2h 5min ago", "12s ago". */
export function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(s / 3600);
  const d = Math.floor(s / 86_400);
  if (d >= 7) return `${Math.floor(d / 7)} weeks ${d % 7} days ago`;
  if (d >= 2) return `${d} days ago`;
  if (s >= 25 * 3600) return `1 day ${h - 24}h ago`;
  if (h >= 6) return `${h}h ago`;
  if (h >= 1) return `${h}h ${m % 60}min ago`;
  if (m >= 5) return `${m}min ago`;
  if (m >= 1) return `${m}min ${s % 60}s ago`;
  if (s >= 1) return `${s}s ago`;
  return 'now';
}

function systemctlStatus(device: SshDeviceState, requested: string, now: number): CommandOutcome {
  // systemctl appends `.service` to a name without a unit type.
  const name = /\.[a-z]+$/.test(requested) ? requested : `${requested}.service`;
  const unitPlan = UNITS.find((u) => u.name === name);
  if (unitPlan === undefined)
    return { stdout: '', stderr: `Unit ${name} could not be found.\n`, exitCode: 4 };
  const condition = device.zoneCondition(now);
  const failed = unitPlan.failsOnBattery !== undefined && condition.power === 'battery';
  const startedAt = device.bootedAt + unitPlan.startedAfter * 1000;
  const lines = [
    `${failed ? '×' : '●'} ${unitPlan.name} - ${unitPlan.description}`,
    `     Loaded: loaded (/lib/systemd/system/${unitPlan.name}; enabled; preset: enabled)`,
  ];
  const journal: string[] = [];
  const stamp = (at: number, text: string): string => `${journalTime(at)} ${device.hostname} ${text}`;
  if (failed) {
    const since = Math.max(condition.since, startedAt);
    lines.push(
      `     Active: failed (Result: exit-code) since ${timestamp(since)}; ${ago(now - since)}`,
      `   Duration: ${timespan(since - startedAt)}`,
      `    Process: ${unitPlan.pid} ExecStart=${unitPlan.exec} (code=exited, status=1/FAILURE)`,
      `   Main PID: ${unitPlan.pid} (code=exited, status=1/FAILURE)`,
      `        CPU: 412ms`,
    );
    for (const text of unitPlan.failsOnBattery?.journal ?? [])
      journal.push(
        stamp(since, text.replaceAll('{pid}', String(unitPlan.pid)).replaceAll('{zone}', device.zoneId)),
      );
  } else {
    lines.push(`     Active: active (running) since ${timestamp(startedAt)}; ${ago(now - startedAt)}`);
    if (unitPlan.docs && unitPlan.docs.length > 0)
      lines.push(
        `       Docs: ${unitPlan.docs[0]}`,
        ...unitPlan.docs.slice(1).map((d) => `             ${d}`),
      );
    lines.push(
      `   Main PID: ${unitPlan.pid} (${unitPlan.process.split(/[\s:]/)[0]?.split('/').at(-1) ?? 'main'})`,
      `      Tasks: ${3 + (unitPlan.pid % 5)} (limit: 9401)`,
      `     Memory: ${unitPlan.memory}`,
      `        CPU: ${((now - startedAt) / 900_000).toFixed(3)}s`,
      `     CGroup: /system.slice/${unitPlan.name}`,
      `             └─${unitPlan.pid} "${unitPlan.process}"`,
    );
    journal.push(
      stamp(startedAt - 400, `systemd[1]: Starting ${unitPlan.name} - ${unitPlan.description}...`),
      stamp(startedAt, `systemd[1]: Started ${unitPlan.name} - ${unitPlan.description}.`),
    );
  }
  // `--lines 20`: the last 20 journal lines of the unit.
  const text = `${lines.join('\n')}\n\n${journal.slice(-20).join('\n')}\n`;
  // systemctl status: 0 active, 3 inactive or failed (LSB status codes).
  return { stdout: text, stderr: '', exitCode: failed ? 3 : 0 };
}
