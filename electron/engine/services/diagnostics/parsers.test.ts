import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDfPosix, parseOutput, parseProcNetDev, parseUptime, type DiagnosticReading } from './parsers';

const fixture = (name: string): string => readFileSync(`test/fixtures/diagnostics/${name}`, 'utf8');

function value(readings: readonly DiagnosticReading[], name: string, labels: Record<string, string> = {}) {
  return readings.find((r) => r.name === name && Object.entries(labels).every(([k, v]) => r.labels[k] === v))
    ?.value;
}

function readingsOf(result: ReturnType<typeof parseOutput>): DiagnosticReading[] {
  if (!result.ok) throw new Error(result.error);
  return result.readings;
}

describe('parseDfPosix', () => {
  it('reads used % and bytes per mount from GNU df -P, mount points with spaces included', () => {
    const r = readingsOf(parseDfPosix(fixture('df-p-gnu.txt')));
    expect(value(r, 'disk_used_percent', { mount: '/' })).toBe(83);
    expect(value(r, 'disk_used_bytes', { mount: '/' })).toBe(375201868 * 1024);
    expect(value(r, 'disk_available_bytes', { mount: '/' })).toBe(79474960 * 1024);
    expect(value(r, 'disk_used_percent', { mount: '/mnt/nas backups', filesystem: '//nas/backups' })).toBe(
      95,
    );
    expect(value(r, 'disk_used_percent', { mount: '/boot/efi' })).toBe(2);
  });

  it('gives no used % where df prints "-" (an empty pseudo file system), never a zero', () => {
    const r = readingsOf(parseDfPosix(fixture('df-p-gnu.txt')));
    expect(value(r, 'disk_used_percent', { mount: '/proc' })).toBeUndefined();
    expect(value(r, 'disk_used_bytes', { mount: '/proc' })).toBe(0);
  });

  it('reads BusyBox output and honours 512-byte blocks', () => {
    const bb = readingsOf(parseDfPosix(fixture('df-p-busybox.txt')));
    expect(value(bb, 'disk_used_percent', { mount: '/overlay' })).toBe(55);
    const bsd = readingsOf(parseDfPosix(fixture('df-p-bsd-512.txt')));
    expect(value(bsd, 'disk_used_bytes', { mount: '/' })).toBe(15030368 * 512);
    expect(value(bsd, 'disk_used_percent', { mount: '/dev' })).toBe(100);
  });

  it('fails on output that is not df -P, and on a header without rows', () => {
    for (const text of ['', 'garbage', 'df: unrecognized option', fixture('uptime-procps.txt')])
      expect(parseDfPosix(text).ok).toBe(false);
    expect(parseDfPosix('Filesystem 1024-blocks Used Available Capacity Mounted on\n').ok).toBe(false);
  });

  it('skips a truncated last line and keeps the complete ones', () => {
    const text = fixture('df-p-gnu.txt');
    const cut = text.slice(0, text.indexOf('/dev/sda1') + 20);
    const r = readingsOf(parseDfPosix(cut));
    expect(value(r, 'disk_used_percent', { mount: '/' })).toBe(83);
    expect(value(r, 'disk_used_percent', { mount: '/boot/efi' })).toBeUndefined();
  });

  it('stays bounded on a flood of lines', () => {
    const header = 'Filesystem 1024-blocks Used Available Capacity Mounted on\n';
    const flood = header + 'tmpfs 1 1 0 100% /x\n'.repeat(200_000);
    const r = readingsOf(parseDfPosix(flood));
    expect(r.length).toBeLessThanOrEqual(20_000 + 3);
  });
});

describe('parseUptime', () => {
  it.each([
    ['uptime-procps.txt', [0.52, 0.58, 0.59]],
    ['uptime-procps-fr.txt', [0.52, 0.58, 0.59]],
    ['uptime-busybox.txt', [1.07, 0.35, 0.12]],
    ['uptime-bsd.txt', [1.2, 1.3, 1.4]],
  ] as const)('reads the load averages of %s', (file, [one, five, fifteen]) => {
    const r = readingsOf(parseUptime(fixture(file)));
    expect([value(r, 'load_1m'), value(r, 'load_5m'), value(r, 'load_15m')]).toEqual([one, five, fifteen]);
  });

  it('fails rather than guesses', () => {
    for (const text of ['', 'up 3 days', 'load average: 1.0, 2.0', 'load average: x, y, z', 'load average:'])
      expect(parseUptime(text).ok).toBe(false);
  });
});

describe('parseProcNetDev', () => {
  it('reads byte, packet, error and drop counters per interface as exact bigints', () => {
    const r = readingsOf(parseProcNetDev(fixture('proc-net-dev.txt')));
    expect(value(r, 'rx_bytes', { interface: 'lo' })).toBe(3715090639n);
    // Above 2^53: a number would round these.
    expect(value(r, 'rx_bytes', { interface: 'eth0' })).toBe(18446744073709551000n);
    expect(value(r, 'tx_bytes', { interface: 'eth0' })).toBe(9007199254740993n);
    expect(value(r, 'rx_errors', { interface: 'eth0' })).toBe(3n);
    expect(value(r, 'rx_dropped', { interface: 'eth0' })).toBe(7n);
    expect(value(r, 'tx_packets', { interface: 'eth0' })).toBe(98765432n);
    expect(value(r, 'tx_dropped', { interface: 'eth0' })).toBe(2n);
    expect(value(r, 'rx_bytes', { interface: 'bond0.100' })).toBe(0n);
    expect(r.every((x) => x.kind === 'counter')).toBe(true);
  });

  it('skips rows with missing or non-numeric columns, and refuses other files', () => {
    const text = fixture('proc-net-dev.txt').replace('3715090639  224307', '3715090639  -1');
    const r = readingsOf(parseProcNetDev(text));
    expect(value(r, 'rx_bytes', { interface: 'lo' })).toBeUndefined();
    expect(value(r, 'rx_bytes', { interface: 'eth0' })).toBe(18446744073709551000n);
    for (const bad of ['', 'garbage', fixture('df-p-gnu.txt')]) expect(parseProcNetDev(bad).ok).toBe(false);
    const header = fixture('proc-net-dev.txt').split('\n').slice(0, 2).join('\n');
    expect(parseProcNetDev(`${header}\n  eth0: 1 2 3\n`).ok).toBe(false);
  });
});

describe('parseOutput', () => {
  it('dispatches on the parser id', () => {
    expect(parseOutput('uptime', fixture('uptime-procps.txt')).ok).toBe(true);
    expect(parseOutput('df-posix', fixture('df-p-gnu.txt')).ok).toBe(true);
    expect(parseOutput('proc-net-dev', fixture('proc-net-dev.txt')).ok).toBe(true);
  });
});
