import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, formatIssues } from '../config/load-config';
import { CsvSyntaxError, formatCsv, parseCsv } from './csv';
import { loadInventoryFiles, tableOfFile } from './load-inventory';
import { checkInventory, inventorySchema, type Inventory } from './schema';
import { exportInventoryJson, exportTableCsv, formatImportIssue, importTableCsv } from './tables';

const DEVICES_HEADER =
  'id,zone,name,kind,address,room,rack,rack_position_u,rack_height_u,snmp_version,snmp_community_secret,snmp_user,snmp_auth_protocol,snmp_auth_secret,snmp_priv_protocol,snmp_priv_secret,profiles';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF, and a BOM', () => {
    const rows = parseCsv('\ufeffa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\nlast,,\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 5, cells: ['last', '', ''] },
    ]);
  });

  it('names the line of a broken quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\nx"y\n')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('a\n"x"y\n')).toThrow(/line 2: text after a closing quote/);
  });

  it('writes what it reads, and defuses spreadsheet formulas', () => {
    const rows = [
      ['id', 'name'],
      ['a', 'x, "y"'],
      ['b', '=HYPERLINK("evil")'],
      ['c', '-5'],
    ];
    const text = formatCsv(rows);
    expect(text).toContain(`'=HYPERLINK`);
    expect(parseCsv(text).map((r) => r.cells)).toEqual([
      ['id', 'name'],
      ['a', 'x, "y"'],
      ['b', `'=HYPERLINK("evil")`],
      ['c', '-5'],
    ]);
  });
});

describe('importTableCsv (devices)', () => {
  it('reads v2c and v3 devices, with racks and profile lists', () => {
    const csv = [
      DEVICES_HEADER,
      'ups-1,dc1,UPS 1,ups,10.0.0.10,power,,,,2c,env:COMMUNITY,,,,,,snmpv2-system;ups-mib',
      'sw-1,dc1,Core switch,switch,sw-1.dc1.example,,r01,40,1,3,,vigie,sha256,env:AUTH,aes,file:/etc/vigie/priv,',
    ].join('\n');
    const result = importTableCsv('devices', 'devices.csv', csv);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lines).toEqual([2, 3]);
    expect(result.records[0]).toMatchObject({
      id: 'ups-1',
      snmp: { version: '2c', port: 161, communitySecret: 'env:COMMUNITY' },
      profiles: ['snmpv2-system', 'ups-mib'],
    });
    expect(result.records[1]).toMatchObject({
      rack: { id: 'r01', positionU: 40, heightU: 1 },
      snmp: { version: '3', user: 'vigie', level: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes' },
    });
  });

  it('names the line and the column of every bad cell', () => {
    const csv = [
      DEVICES_HEADER,
      'ups-1,dc1,UPS 1,ups,10.0.0.10,,,,,2c,env:COMMUNITY,,,,,,',
      'sw-1,dc1,Switch,switch,10.0.0.1,,r01,forty,,2c,env:C,,,,,,',
      'sw-2,dc1,Switch,switch,10.0.0.2,,,,,3,,vigie,sha256,env:AUTH,,,',
      'Bad Id,dc1,X,toaster,10.0.0.3,,,,,2c,plain-text,,,,,,',
      'sw-3,dc1,Switch,switch,10.0.0.4,,,,,3,,vigie,md5,env:AUTH,aes,env:P,',
    ].join('\n');
    const result = importTableCsv('devices', 'devices.csv', csv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.issues.map(formatImportIssue);
    expect(lines).toContain('devices.csv line 3, column rack_position_u: "forty" is not a number');
    expect(lines.some((l) => l.startsWith('devices.csv line 6, column snmp_auth_protocol:'))).toBe(true);
    expect(lines).toContain(
      'devices.csv line 4, column snmp_priv_protocol: level authPriv needs a privProtocol',
    );
    expect(lines.some((l) => l.startsWith('devices.csv line 5, column id:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('devices.csv line 5, column kind:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('devices.csv line 5, column snmp_community_secret:'))).toBe(true);
    expect(lines.every((l) => !l.includes('line 2'))).toBe(true);
  });

  it('refuses unknown, repeated and missing columns before reading rows', () => {
    const r = importTableCsv(
      'devices',
      'd.csv',
      'id,zone,name,kind,adress,snmp_version,zone\nx,y,z,ups,a,2c,y\n',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map(formatImportIssue)).toEqual([
      expect.stringMatching(/^d\.csv line 1, column adress: unknown column; devices has id, zone/),
      'd.csv line 1, column zone: column given twice',
      'd.csv line 1, column address: required column missing',
    ]);
    expect(importTableCsv('racks', 'racks.csv', '').ok).toBe(false);
  });
});

describe('checkInventory', () => {
  const base = (): Inventory =>
    inventorySchema.parse({
      zones: [
        { id: 'dc1', name: 'DC 1', kind: 'primary' },
        { id: 'dc2', name: 'DC 2', kind: 'primary' },
      ],
      rooms: [
        { id: 'hall', zone: 'dc1', name: 'Hall' },
        { id: 'hall-2', zone: 'dc2', name: 'Hall 2' },
      ],
      racks: [{ id: 'r01', room: 'hall', name: 'R01', heightU: 42 }],
    });
  const device = (id: string, extra: object) => ({
    id,
    zone: 'dc1',
    name: id,
    kind: 'pdu',
    address: '10.0.0.1',
    snmp: { version: '2c', community: 'c' },
    ...extra,
  });

  it('accepts devices side by side in one rack', () => {
    const inv = inventorySchema.parse({
      ...base(),
      devices: [
        device('a', { rack: { id: 'r01', positionU: 1, heightU: 2 } }),
        device('b', { rack: { id: 'r01', positionU: 3 } }),
      ],
    });
    expect(checkInventory(inv)).toEqual([]);
  });

  it('finds shared units, racks overflowing, unknown racks and the wrong zone or room', () => {
    const inv = inventorySchema.parse({
      ...base(),
      devices: [
        device('a', { rack: { id: 'r01', positionU: 10, heightU: 4 } }),
        device('b', { rack: { id: 'r01', positionU: 12 } }),
        device('c', { rack: { id: 'r01', positionU: 42, heightU: 2 } }),
        device('d', { rack: { id: 'r99', positionU: 1 } }),
        device('e', { zone: 'dc2', rack: { id: 'r01', positionU: 30 } }),
        device('f', { room: 'hall-2' }),
        device('a', {}),
      ],
    });
    expect(checkInventory(inv)).toEqual([
      { path: ['devices', 1, 'rack', 'positionU'], message: 'U12 of rack "r01" is already taken by "a"' },
      { path: ['devices', 2, 'rack', 'positionU'], message: 'U42-U43 does not fit in rack "r01" of 42 U' },
      { path: ['devices', 3, 'rack', 'id'], message: 'unknown rack "r99"' },
      { path: ['devices', 4, 'rack', 'id'], message: 'rack "r01" is in zone "dc1", not "dc2"' },
      { path: ['devices', 5, 'room'], message: 'room "hall-2" is in zone "dc2", not "dc1"' },
      { path: ['devices', 6, 'id'], message: 'duplicate id "a" (also devices.0)' },
    ]);
  });
});

describe('inventory files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-inventory-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('knows the table of a file from its name', () => {
    expect(tableOfFile('/x/devices.csv')).toBe('devices');
    expect(tableOfFile('dc1-racks.CSV')).toBe('racks');
    expect(tableOfFile('stuff.csv')).toBeNull();
  });

  it('merges CSV tables into the configuration and points a cross-record issue at its file and line', async () => {
    await writeFile(join(dir, 'rooms.csv'), 'id,zone,name\nhall,dc1,Hall\n');
    await writeFile(join(dir, 'racks.csv'), 'id,room,name,height_u\nr01,hall,R01,42\n');
    await writeFile(
      join(dir, 'devices.csv'),
      [
        'id,zone,name,kind,address,rack,rack_position_u,snmp_version,snmp_community_secret',
        'pdu-1,dc1,PDU 1,pdu,10.0.0.5,r01,1,2c,env:C',
        'pdu-2,dc1,PDU 2,pdu,10.0.0.6,r01,1,2c,env:C',
      ].join('\n'),
    );
    const config = join(dir, 'vigie.yaml');
    await writeFile(
      config,
      [
        'inventory:',
        '  zones: [{ id: dc1, name: DC 1, kind: primary }]',
        '  include: [rooms.csv, racks.csv, devices.csv]',
        '',
      ].join('\n'),
    );
    const bad = await loadConfigFile(config);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(formatIssues(config, bad.issues)).toBe(
      `${join(dir, 'devices.csv')}: line 3, rack.positionU: U1 of rack "r01" is already taken by "pdu-1"`,
    );

    await writeFile(
      join(dir, 'devices.csv'),
      [
        'id,zone,name,kind,address,rack,rack_position_u,snmp_version,snmp_community_secret',
        'pdu-1,dc1,PDU 1,pdu,10.0.0.5,r01,1,2c,env:C',
        'pdu-2,dc1,PDU 2,pdu,10.0.0.6,r01,2,2c,env:C',
      ].join('\n'),
    );
    const good = await loadConfigFile(config);
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    expect(good.config.inventory.devices.map((d) => d.id)).toEqual(['pdu-1', 'pdu-2']);
    expect(good.config.inventory.racks).toEqual([{ id: 'r01', room: 'hall', name: 'R01', heightU: 42 }]);
  });

  it('exports to CSV and JSON and reads the export back, inline communities withheld', async () => {
    const inv = inventorySchema.parse({
      zones: [{ id: 'dc1', name: 'DC 1', kind: 'primary' }],
      rooms: [{ id: 'hall', zone: 'dc1', name: 'Hall, "main"' }],
      racks: [{ id: 'r01', room: 'hall', name: 'R01' }],
      devices: [
        {
          id: 'sw-1',
          zone: 'dc1',
          name: 'Switch',
          kind: 'switch',
          address: '10.0.0.1',
          rack: { id: 'r01', positionU: 40 },
          snmp: {
            version: '3',
            user: 'u',
            authProtocol: 'sha512',
            authSecret: 'env:A',
            privProtocol: 'aes256b',
            privSecret: 'env:P',
          },
          ssh: { user: 'diag', keySecret: 'file:/k', templates: ['uptime', 'df'] },
          uplinkIfIndex: 49,
        },
        {
          id: 'env-1',
          zone: 'dc1',
          name: 'Sensor',
          kind: 'sensor',
          address: '10.0.0.2',
          room: 'hall',
          snmp: { version: '2c', community: 'do-not-export' },
          sensors: { temperatureIndex: 1, humidityIndex: 2 },
        },
      ],
    });
    const files: string[] = [];
    let redacted = 0;
    for (const table of ['zones', 'rooms', 'racks', 'devices', 'services'] as const) {
      const out = exportTableCsv(table, inv[table]);
      redacted += out.redacted;
      const file = join(dir, 'export', `${table}.csv`);
      await rm(join(dir, 'export'), { recursive: true, force: true }).catch(() => undefined);
      files.push(file);
      expect(out.text).not.toContain('do-not-export');
      const back = importTableCsv(table, file, out.text);
      if (table === 'devices') {
        // The sensor lost its community: the import says which row and column to fill in.
        expect(back.ok).toBe(false);
        if (!back.ok)
          expect(back.issues.map(formatImportIssue)).toEqual([
            `${file} line 3, column snmp_community: give exactly one of community and communitySecret`,
          ]);
      } else {
        expect(back).toMatchObject({ ok: true, records: inv[table] });
      }
    }
    expect(redacted).toBe(1);
    const json = exportInventoryJson(inv);
    expect(json.redacted).toBe(1);
    expect(json.text).not.toContain('do-not-export');
    const reread = inventorySchema.safeParse(JSON.parse(json.text));
    expect(reread.success).toBe(false);
    const onlyV3 = inventorySchema.parse({ ...inv, devices: inv.devices.slice(0, 1) });
    const exported = importTableCsv('devices', 'devices.csv', exportTableCsv('devices', onlyV3.devices).text);
    expect(exported).toMatchObject({ ok: true, records: onlyV3.devices });
    await writeFile(join(dir, 'inv.json'), exportInventoryJson(onlyV3).text);
    const loaded = await loadInventoryFiles(
      { zones: [], rooms: [], racks: [], devices: [], services: [] },
      [join(dir, 'inv.json')],
      'x',
    );
    expect(loaded).toEqual({ ok: true, inventory: onlyV3 });
  });
});
