/**
 * Parsers turning a diagnostic's output into readings. Output comes from a remote host, so it is
 * hostile input: every parser bounds what it reads, skips lines it does not understand, and fails
 * (rather than guessing) when nothing usable is left.
 */
import { missingCase } from '../../../../shared/domain/missing-case';
import type { ParserId } from './templates';

/**
 * One value read from a command's output. Counters (monotonic, e.g. interface byte counts) are
 * bigints: Linux keeps them on 64 bits, and 2^53 bytes is 8 days of a 100 Gb/s link; turn them
 * into rates with shared/domain/counter-rate (a counter going back is a reset, never a spike).
 */
export type DiagnosticReading =
  | {
      readonly kind: 'gauge';
      readonly name: string;
      readonly labels: Readonly<Record<string, string>>;
      readonly value: number;
      readonly unit: string;
    }
  | {
      readonly kind: 'counter';
      readonly name: string;
      readonly labels: Readonly<Record<string, string>>;
      readonly value: bigint;
      readonly unit: string;
    };

export type ParseResult =
  | { readonly ok: true; readonly readings: DiagnosticReading[] }
  | { readonly ok: false; readonly error: string };

/** Lines looked at, and readings produced, at most (a host with thousands of mounts is still read). */
const MAX_LINES = 10_000;
const MAX_READINGS = 20_000;
const MAX_LABEL_LENGTH = 512;

export function parseOutput(parser: ParserId, stdout: string): ParseResult {
  switch (parser) {
    case 'df-posix':
      return parseDfPosix(stdout);
    case 'uptime':
      return parseUptime(stdout);
    case 'proc-net-dev':
      return parseProcNetDev(stdout);
    default:
      throw missingCase(parser);
  }
}

function linesOf(text: string): string[] {
  return text.split('\n', MAX_LINES).map((l) => l.replace(/\r$/, ''));
}

const DF_HEADER = /^Filesystem\s+(\d+)-blocks\s+Used\s+Avail\w*\s+(?:Capacity|Use%)\s+Mounted on\s*$/i;
/** Name (may hold spaces), total, used, available, capacity (`NN%` or `-`), mount point (may hold spaces). */
const DF_ROW = /^(.+?)\s+(\d{1,20})\s+(\d{1,20})\s+(\d{1,20})\s+(\d{1,3}%|-)\s+(\/.*)$/;

/**
 * `df -P` (POSIX.1-2017 df, -P): per mount point, `disk_used_percent` (df's own Capacity, the used
 * share rounded up), `disk_used_bytes` and `disk_available_bytes`. Labels: mount, filesystem.
 */
export function parseDfPosix(text: string): ParseResult {
  const lines = linesOf(text);
  const headerAt = lines.findIndex((l) => DF_HEADER.test(l));
  if (headerAt < 0) return { ok: false, error: 'no `df -P` header line' };
  const blockSize = Number(DF_HEADER.exec(lines[headerAt] ?? '')?.[1]);
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0) return { ok: false, error: 'bad block size' };
  const readings: DiagnosticReading[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    const m = DF_ROW.exec(line);
    if (!m || readings.length >= MAX_READINGS) continue;
    const [, filesystem = '', , used = '', available = '', capacity = '', mount = ''] = m;
    if (mount.length > MAX_LABEL_LENGTH || filesystem.length > MAX_LABEL_LENGTH) continue;
    const labels = { mount, filesystem };
    if (capacity !== '-')
      readings.push({
        kind: 'gauge',
        name: 'disk_used_percent',
        labels,
        value: Number(capacity.slice(0, -1)),
        unit: '%',
      });
    readings.push(
      { kind: 'gauge', name: 'disk_used_bytes', labels, value: Number(used) * blockSize, unit: 'B' },
      {
        kind: 'gauge',
        name: 'disk_available_bytes',
        labels,
        value: Number(available) * blockSize,
        unit: 'B',
      },
    );
  }
  if (readings.length === 0) return { ok: false, error: 'no file system line in `df -P` output' };
  return { ok: true, readings };
}

/**
 * `uptime` (procps, BusyBox, BSD): the 1, 5 and 15 minute load averages. Locales with a decimal
 * comma print `load average: 0,52, 0,58, 0,59`; BSD prints `load averages: 1.20 1.30 1.40`.
 */
export function parseUptime(text: string): ParseResult {
  const line = linesOf(text).find((l) => /load averages?:/i.test(l));
  if (line === undefined) return { ok: false, error: 'no load average in `uptime` output' };
  const tail = line.slice(line.search(/load averages?:/i)).replace(/^load averages?:/i, '');
  const numbers = tail.match(/\d{1,6}(?:[.,]\d{1,6})?/g) ?? [];
  if (numbers.length !== 3) return { ok: false, error: `expected 3 load averages, found ${numbers.length}` };
  const [one, five, fifteen] = numbers.map((n) => Number(n.replace(',', '.')));
  if ([one, five, fifteen].some((v) => v === undefined || !Number.isFinite(v)))
    return { ok: false, error: 'unreadable load averages' };
  return {
    ok: true,
    readings: [
      { kind: 'gauge', name: 'load_1m', labels: {}, value: one!, unit: '' },
      { kind: 'gauge', name: 'load_5m', labels: {}, value: five!, unit: '' },
      { kind: 'gauge', name: 'load_15m', labels: {}, value: fifteen!, unit: '' },
    ],
  };
}

/** Columns of /proc/net/dev after `iface:` (Linux net/core/net-procfs.c), the ones kept. */
const NET_DEV_FIELDS: readonly (readonly [index: number, name: string, unit: string])[] = [
  [0, 'rx_bytes', 'B'],
  [1, 'rx_packets', ''],
  [2, 'rx_errors', ''],
  [3, 'rx_dropped', ''],
  [8, 'tx_bytes', 'B'],
  [9, 'tx_packets', ''],
  [10, 'tx_errors', ''],
  [11, 'tx_dropped', ''],
];
const NET_DEV_ROW = /^\s*([^\s:/]{1,15}):\s*(.*)$/;

/**
 * `/proc/net/dev`: per interface, byte, packet, error and drop counters received and sent, as
 * counters (bigint). A row without its 16 numeric columns is skipped. Label: interface.
 */
export function parseProcNetDev(text: string): ParseResult {
  const lines = linesOf(text);
  if (!/\|\s*Receive\s*\|\s*Transmit/.test(lines[0] ?? '')) return { ok: false, error: 'not /proc/net/dev' };
  const readings: DiagnosticReading[] = [];
  for (const line of lines.slice(2)) {
    const m = NET_DEV_ROW.exec(line);
    if (!m || readings.length >= MAX_READINGS) continue;
    const [, iface = '', rest = ''] = m;
    const columns = rest.trim().split(/\s+/);
    if (columns.length !== 16 || !columns.every((c) => /^\d{1,20}$/.test(c))) continue;
    for (const [index, name, unit] of NET_DEV_FIELDS) {
      readings.push({
        kind: 'counter',
        name,
        labels: { interface: iface },
        value: BigInt(columns[index]!),
        unit,
      });
    }
  }
  if (readings.length === 0) return { ok: false, error: 'no interface line in /proc/net/dev' };
  return { ok: true, readings };
}
