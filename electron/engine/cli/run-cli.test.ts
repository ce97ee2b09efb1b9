import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, parseTime, runCli } from './run-cli';

function io() {
  let out = '';
  let err = '';
  return {
    io: {
      out: (t: string) => (out += t),
      err: (t: string) => (err += t),
      env: {},
      stopSignal: new Promise<string>(() => undefined),
    },
    out: () => out,
    err: () => err,
  };
}

describe('vigie CLI', () => {
  it('prints help and version', async () => {
    const a = io();
    expect(await runCli(['--help'], a.io)).toBe(EXIT.ok);
    expect(a.out()).toMatch(/vigie serve/);
    const b = io();
    expect(await runCli(['--version'], b.io)).toBe(EXIT.ok);
    expect(b.out()).toMatch(/^\d+\.\d+\.\d+/);
  });
  it('names an unknown command or flag and exits 2 without a stack trace', async () => {
    const a = io();
    expect(await runCli(['frobnicate'], a.io)).toBe(EXIT.usage);
    expect(a.err()).toBe('vigie: unknown command "frobnicate". See `vigie --help`.\n');
    const b = io();
    expect(await runCli(['serve', '--bogus'], b.io)).toBe(EXIT.usage);
    expect(b.err()).toMatch(/unknown option --bogus/);
    expect(b.err()).not.toMatch(/\bat .*\.ts:\d+/);
  });
  it('checks a config file and names the field and line of each problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-cli-'));
    try {
      const good = join(dir, 'good.yaml');
      await writeFile(good, 'estate: true\n');
      const a = io();
      expect(await runCli(['config', 'check', good], a.io)).toBe(EXIT.ok);
      expect(a.out()).toMatch(/valid/);
      const bad = join(dir, 'bad.yaml');
      await writeFile(bad, 'server:\n  port: "eighty"\n');
      const b = io();
      expect(await runCli(['config', 'check', bad], b.io)).toBe(EXIT.usage);
      expect(b.err()).toMatch(/bad\.yaml:2:\d+: server\.port: /);
      const c = io();
      expect(await runCli(['config', 'check', join(dir, 'missing.yaml')], c.io)).toBe(EXIT.usage);
      expect(c.err()).toMatch(/file not found/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('says plainly when no engine is running', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-cli-'));
    try {
      const a = io();
      expect(await runCli(['status', '--data-dir', dir], a.io)).toBe(EXIT.failure);
      expect(a.err()).toMatch(/no engine is running/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('rejects a query without measurement, with a bad time or a bad aggregation', async () => {
    const cases: [string[], RegExp][] = [
      [['query', '--field', 'f'], /needs --measurement and --field/],
      [['query', '--measurement', 'm', '--field', 'f', '--from', 'yesterday'], /not a time/],
      [['query', '--measurement', 'm', '--field', 'f', '--agg', 'median'], /--agg must be one of/],
      [
        ['query', '--measurement', 'm', '--field', 'f', '--from', 'now', '--to', 'now-1h'],
        /--to must be after --from/,
      ],
    ];
    for (const [args, message] of cases) {
      const a = io();
      expect(await runCli(args, a.io)).toBe(EXIT.usage);
      expect(a.err()).toMatch(message);
    }
  });
  it('reads relative and absolute times', () => {
    expect(parseTime('now', 1_000_000)).toBe(1_000_000);
    expect(parseTime('now-15m', 1_000_000)).toBe(100_000);
    expect(parseTime('2026-11-23T08:00:00Z', 0)).toBe(Date.UTC(2026, 10, 23, 8));
    expect(() => parseTime('2026-11-23 08:00', 0)).toThrow(/ISO 8601/);
  });
});
