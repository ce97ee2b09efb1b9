import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, runCli } from './run-cli';

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

describe('vigie inventory', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-inv-cli-'));
    await writeFile(join(dir, 'zones.csv'), 'id,name,kind\ndc1,DC 1,primary\n');
    await writeFile(
      join(dir, 'devices.csv'),
      'id,zone,name,kind,address,snmp_version,snmp_community,snmp_community_secret\n' +
        'pdu-1,dc1,PDU 1,pdu,10.0.0.5,2c,inline-secret,\n' +
        'pdu-2,dc9,PDU 2,pdu,10.0.0.6,2c,,env:C\n',
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('checks files and names the file, line and field of a problem', async () => {
    const a = io();
    expect(await runCli(['inventory', 'check', join(dir, 'zones.csv'), join(dir, 'devices.csv')], a.io)).toBe(
      EXIT.usage,
    );
    expect(a.err()).toBe(`${join(dir, 'devices.csv')} line 3, zone: unknown zone "dc9"\n`);
    await writeFile(
      join(dir, 'devices.csv'),
      'id,zone,name,kind,address,snmp_version,snmp_community,snmp_community_secret\n' +
        'pdu-1,dc1,PDU 1,pdu,10.0.0.5,2c,inline-secret,\n' +
        'pdu-2,dc1,PDU 2,pdu,10.0.0.6,2c,,env:C\n',
    );
    const b = io();
    expect(await runCli(['inventory', 'check', join(dir, 'zones.csv'), join(dir, 'devices.csv')], b.io)).toBe(
      EXIT.ok,
    );
    expect(b.out()).toBe('valid: 1 zones, 0 rooms, 0 racks, 2 devices, 0 services\n');
  });

  it('exports a configuration inventory as JSON and CSV without inline secrets', async () => {
    const config = join(dir, 'vigie.yaml');
    await writeFile(config, 'inventory:\n  include: [zones.csv, devices.csv]\n');
    const a = io();
    expect(await runCli(['inventory', 'export', '--config', config], a.io)).toBe(EXIT.ok);
    expect(JSON.parse(a.out())).toMatchObject({ devices: [{ id: 'pdu-1' }, { id: 'pdu-2' }] });
    expect(a.out()).not.toContain('inline-secret');
    expect(a.err()).toMatch(/1 inline SNMP community was left out/);
    const b = io();
    const out = join(dir, 'export');
    expect(
      await runCli(['inventory', 'export', '--config', config, '--format', 'csv', '--out', out], b.io),
    ).toBe(EXIT.ok);
    const devices = await readFile(join(out, 'devices.csv'), 'utf8');
    expect(devices).toContain('pdu-2,dc1,PDU 2,pdu');
    expect(devices).not.toContain('inline-secret');
    const c = io();
    expect(await runCli(['inventory', 'export', '--format', 'xml', '--config', config], c.io)).toBe(
      EXIT.usage,
    );
    expect(c.err()).toMatch(/--format must be json or csv/);
    const d = io();
    expect(await runCli(['inventory', 'export', '--bogus'], d.io)).toBe(EXIT.usage);
  });
});
