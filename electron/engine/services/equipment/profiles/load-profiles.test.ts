import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SnmpValue } from '../../../ports/snmp-client';
import { evaluateProfile } from './evaluate-profile';
import {
  builtInProfilesDir,
  combineProfiles,
  formatProfileIssues,
  loadMibProfiles,
  MibProfileError,
  parseMibProfileText,
} from './load-profiles';
import { mibProfileSchema, type MibProfile } from './mib-profile-schema';

const BUILT_IN = path.resolve('resources/mib-profiles');

const dirs: string[] = [];
async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigie-profiles-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function builtIns(): Promise<MibProfile[]> {
  return loadMibProfiles(BUILT_IN);
}

const MINIMAL = `schemaVersion: 1
id: minimal
name: Minimal
scalars:
  - name: uptime
    oid: 1.3.6.1.2.1.1.3.0
    type: timeticks
`;

describe('built-in MIB profiles', () => {
  it('all load and validate, with the ids the configuration refers to', async () => {
    const ids = (await builtIns()).map((p) => p.id);
    expect(ids).toEqual([
      'apc-rpdu',
      'entity-sensor',
      'host-resources',
      'if-mib',
      'snmpv2-system',
      'ups-mib',
    ]);
  });

  it('are found from the source tree', () => {
    expect(builtInProfilesDir({})).toBe(BUILT_IN);
    expect(builtInProfilesDir({ VIGIE_MIB_PROFILES_DIR: '/nonexistent' })).toBe(BUILT_IN);
  });

  it('ups-mib knows the 24 well-known alarms of RFC 1628', async () => {
    const ups = (await builtIns()).find((p) => p.id === 'ups-mib')!;
    const alarm = ups.tables.find((t) => t.name === 'alarms')?.metrics.find((m) => m.name === 'alarm');
    expect(Object.keys(alarm?.enum ?? {})).toEqual(
      Array.from({ length: 24 }, (_, i) => `1.3.6.1.2.1.33.1.6.3.${i + 1}`),
    );
    expect(Object.values(alarm?.enum ?? {}).every((e) => e.description !== undefined)).toBe(true);
  });

  it('the example of the profiles README is a valid profile', async () => {
    const readme = await readFile(path.join(BUILT_IN, 'README.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const parsed = parseMibProfileText(example, 'README.md');
    expect(parsed.ok ? [] : formatProfileIssues(parsed.issues)).toEqual([]);
  });

  it('ups-mib says on battery, with the alarm described, from RFC 1628 values', async () => {
    const ups = (await builtIns()).find((p) => p.id === 'ups-mib')!;
    const v = (type: 'integer' | 'gauge32', value: number): SnmpValue => ({ type, value });
    const varbinds = Object.entries({
      '1.3.6.1.2.1.33.1.2.1.0': v('integer', 2),
      '1.3.6.1.2.1.33.1.2.2.0': v('integer', 125),
      '1.3.6.1.2.1.33.1.2.3.0': v('integer', 38),
      '1.3.6.1.2.1.33.1.2.4.0': v('integer', 81),
      '1.3.6.1.2.1.33.1.2.5.0': v('integer', 2185),
      '1.3.6.1.2.1.33.1.4.1.0': v('integer', 5),
      '1.3.6.1.2.1.33.1.4.2.0': v('integer', 499),
      '1.3.6.1.2.1.33.1.6.1.0': v('gauge32', 1),
      '1.3.6.1.2.1.33.1.3.3.1.3.1': v('integer', 0),
      '1.3.6.1.2.1.33.1.4.4.1.2.1': v('integer', 230),
      '1.3.6.1.2.1.33.1.4.4.1.5.1': v('integer', 42),
      '1.3.6.1.2.1.33.1.6.2.1.2.7': { type: 'oid', value: '1.3.6.1.2.1.33.1.6.3.2' } as SnmpValue,
      '1.3.6.1.2.1.33.1.6.2.1.3.7': { type: 'timeticks', value: 1_000_000 } as SnmpValue,
    }).map(([oid, value]) => ({ oid, value }));
    const { result } = evaluateProfile(ups, { varbinds, failures: [] }, undefined, 0);
    const get = (metric: string): unknown => result.readings.find((r) => r.metric === metric);
    expect(get('outputSource')).toMatchObject({ label: 'battery', status: 'degraded' });
    expect(get('batteryVoltage')).toMatchObject({ value: 218.5, unit: 'volt' });
    expect(get('outputFrequency')).toMatchObject({ value: 49.9, unit: 'hertz' });
    expect(get('alarm')).toMatchObject({
      label: 'onBattery',
      description: 'The UPS is drawing power from the batteries.',
    });
    expect(get('alarmTime')).toMatchObject({ value: 10_000, unit: 'seconds' });
    expect(get('alarmCount')).toMatchObject({ value: 1 });
    expect(get('manufacturer')).toMatchObject({ value: null, reason: { code: 'missing' } });
    expect(result.status).toBe('degraded');
    expect(result.conditions.map((c) => c.name).sort()).toEqual(['alarm', 'alarmsPresent', 'outputSource']);
  });
});

describe('loadMibProfiles', () => {
  it('loads YAML and JSON files in name order', async () => {
    const json = JSON.stringify({ ...(parse(MINIMAL) as object), id: 'from-json' });
    const dir = await dirWith({ 'b.yaml': MINIMAL, 'a.json': json, 'notes.txt': 'not a profile' });
    expect((await loadMibProfiles(dir)).map((p) => p.id)).toEqual(['from-json', 'minimal']);
  });

  it('names the file, the field path and the line of every problem', async () => {
    const dir = await dirWith({
      'good.yaml': MINIMAL,
      'bad.yaml': `schemaVersion: 1
id: bad
name: Bad
scalars:
  - name: charge
    oid: not-an-oid
    type: gauge
  - name: charge
    oid: 1.3.6.1.2.1.33.1.2.4.0
    type: enum
`,
    });
    const err = await loadMibProfiles(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MibProfileError);
    const issues = (err as MibProfileError).issues;
    const file = path.join(dir, 'bad.yaml');
    const oidIssue = issues.find((i) => i.path === 'scalars.0.oid');
    expect(oidIssue).toMatchObject({ file, line: 6 });
    expect(oidIssue?.message).toMatch(/numeric OID/);
    expect(issues).toContainEqual(expect.objectContaining({ file, path: 'scalars.1.name', line: 8 }));
    expect(issues).toContainEqual(expect.objectContaining({ file, path: 'scalars.1.enum' }));
    expect(formatProfileIssues(issues)).toContain(`${file}:6:`);
  });

  it('refuses two files with the same id', async () => {
    const dir = await dirWith({ 'a.yaml': MINIMAL, 'b.yaml': MINIMAL });
    await expect(loadMibProfiles(dir)).rejects.toThrow(/profile id "minimal" is also used by/);
  });

  it('refuses a missing directory with its name', async () => {
    await expect(loadMibProfiles('/nonexistent/vigie-profiles')).rejects.toThrow(
      /nonexistent\/vigie-profiles/,
    );
  });
});

function parse(text: string): unknown {
  const result = parseMibProfileText(text, 'x.yaml');
  if (!result.ok) throw new Error(formatProfileIssues(result.issues));
  return JSON.parse(JSON.stringify(result.profile)) as unknown;
}

describe('parseMibProfileText on hostile input', () => {
  const issuesOf = (text: string): string[] => {
    const result = parseMibProfileText(text, 'x.yaml');
    return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
  };

  it('refuses truncated YAML with its line', () => {
    const result = parseMibProfileText('schemaVersion: 1\nid: [unclosed\n', 'x.yaml');
    expect(result.ok).toBe(false);
    const issue = result.ok ? undefined : result.issues[0];
    expect(issue?.path).toBe('(file)');
    expect(typeof issue?.line).toBe('number');
  });

  it('refuses unknown fields, a later format, and wrong types', () => {
    expect(issuesOf(`${MINIMAL}colour: blue\n`).join('\n')).toMatch(/colour/);
    expect(issuesOf(MINIMAL.replace('schemaVersion: 1', 'schemaVersion: 2'))).toEqual([
      expect.stringMatching(/^schemaVersion: /),
    ]);
    expect(issuesOf(MINIMAL.replace('type: timeticks', 'type: 42')).join('\n')).toMatch(/scalars\.0\.type/);
  });

  it('refuses a prototype-polluting key instead of merging it', () => {
    const issues = issuesOf(`${MINIMAL}__proto__:\n  polluted: true\n`);
    expect(issues.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses options on the wrong kind of metric', () => {
    const table = (metric: string): string => `schemaVersion: 1
id: t
name: T
tables:
  - name: rows
    index: 1.3.6.1.4.1.32473.1.1
    metrics:
${metric}`;
    expect(issuesOf(table('      - { name: x, oid: 1.3.6.1.4.1.32473.1.2.0, type: gauge }\n'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/tables\.0\.metrics\.0\.column: /),
        expect.stringMatching(/\.oid: /),
      ]),
    );
    expect(issuesOf(table('      - { name: x, column: 1.3.6.1.4.1.32473.1.2, type: ratio }\n'))).toEqual([
      expect.stringMatching(/denominator: a ratio needs/),
    ]);
    expect(
      issuesOf(
        table(
          '      - { name: x, column: 1.3.6.1.4.1.32473.1.2, type: text, thresholds: { warningHigh: 1 } }\n',
        ),
      ),
    ).toEqual([expect.stringMatching(/thresholds: thresholds need a numeric type/)]);
    expect(
      issuesOf(
        table(
          '      - { name: x, column: 1.3.6.1.4.1.32473.1.2, type: gauge, thresholds: { warningHigh: 9, criticalHigh: 5 } }\n',
        ),
      ),
    ).toEqual([expect.stringMatching(/criticalHigh: must not be below warningHigh/)]);
  });

  it('refuses rules that name a missing metric or read two tables', () => {
    const text = `schemaVersion: 1
id: r
name: R
tables:
  - name: a
    index: 1.3.6.1.4.1.32473.1.1
    metrics: [{ name: x, column: 1.3.6.1.4.1.32473.1.1, type: gauge }]
  - name: b
    index: 1.3.6.1.4.1.32473.2.1
    metrics: [{ name: y, column: 1.3.6.1.4.1.32473.2.1, type: gauge }]
rules:
  - name: both
    status: down
    when: [{ metric: x, above: 1 }, { metric: y, above: 1 }, { metric: z, in: [1] }]
`;
    expect(issuesOf(text)).toEqual([
      expect.stringMatching(/^rules\.0\.when\.1\.metric: a rule reads one table/),
      expect.stringMatching(/^rules\.0\.when\.2\.metric: no metric or aggregate "z"/),
    ]);
  });
});

describe('combineProfiles', () => {
  it('adds user-defined profiles and refuses one that reuses a built-in id', async () => {
    const all = await builtIns();
    const mine = mibProfileSchema.parse({ ...(parse(MINIMAL) as object), id: 'my-pdu' });
    expect([...combineProfiles(all, [mine]).keys()]).toContain('my-pdu');
    const clash = mibProfileSchema.parse({ ...(parse(MINIMAL) as object), id: 'ups-mib' });
    expect(() => combineProfiles(all, [mine, clash])).toThrow(
      /1\.id: profile id "ups-mib" is taken by a built-in profile/,
    );
  });
});
