/**
 * The built-in MIB profiles against real agents: snmpsim serving the package's recorded Cisco
 * switch and Linux host plus two recordings of ours (a UPS on battery whose values move, an
 * environmental monitor with ENTITY-SENSOR scales), and a real snmpd. What Vigie reports (interface
 * names, counts, values) must be what net-snmp's snmpbulkwalk prints for the same agent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetSnmpClient } from '../../electron/engine/adapters/snmp/net-snmp-client';
import { systemClock } from '../../electron/engine/ports/clock';
import type { SnmpV2cTarget, SnmpValue, SnmpVarbind } from '../../electron/engine/ports/snmp-client';
import type {
  ProfileReading,
  ProfileResult,
  ProfileState,
} from '../../electron/engine/services/equipment/profiles/evaluate-profile';
import { loadMibProfiles } from '../../electron/engine/services/equipment/profiles/load-profiles';
import {
  mibProfileSchema,
  type MibProfile,
} from '../../electron/engine/services/equipment/profiles/mib-profile-schema';
import {
  walkProfiles,
  type WalkOutcome,
} from '../../electron/engine/services/equipment/profiles/walk-profiles';
import { skipReason, waitFor, withSkipReason } from '../servers/common';
import { SNMP_CLI_REQUIREMENTS, snmpBulkWalk, type CliVarbind } from '../servers/snmp-cli';
import { SNMPD_REQUIREMENTS, startSnmpd, type SnmpdHandle } from '../servers/snmpd';
import {
  SNMPSIM_RECORDINGS,
  SNMPSIM_REQUIREMENTS,
  startSnmpsim,
  type SnmpsimHandle,
} from '../servers/snmpsim';

const FIXTURES = path.resolve('test/fixtures/snmprec');
const OID = {
  ifIndex: '1.3.6.1.2.1.2.2.1.1',
  ifAdminStatus: '1.3.6.1.2.1.2.2.1.7',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHighSpeed: '1.3.6.1.2.1.31.1.1.1.15',
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  hrProcessorFrwID: '1.3.6.1.2.1.25.3.3.1.1',
  hrProcessorLoad: '1.3.6.1.2.1.25.3.3.1.2',
  hrStorageEntry: '1.3.6.1.2.1.25.2.3.1',
  upsMib: '1.3.6.1.2.1.33',
  entPhysicalName: '1.3.6.1.2.1.47.1.1.1.1.7',
  entPhySensorEntry: '1.3.6.1.2.1.99.1.1.1',
} as const;

/** net-snmp's printout, by row index, for one column. */
type Column = Map<string, string>;

async function cliColumn(host: string, port: number, community: string, column: string): Promise<Column> {
  const rows = await snmpBulkWalk(host, port, community, column);
  return new Map(rows.map((vb: CliVarbind) => [vb.oid.slice(column.length + 1), vb.value]));
}

/** The number in `integer:42`, `gauge32:42`, ... */
function cliNumber(value: string | undefined): number {
  const n = Number(value?.slice(value.indexOf(':') + 1));
  if (value === undefined || !Number.isFinite(n)) throw new Error(`not a number: ${String(value)}`);
  return n;
}

/** The hex of a text as snmp-cli.ts canonicalises octets; our decoded text or `0x` hex back to hex. */
function hexOf(text: string): string {
  return text.startsWith('0x') ? text.slice(2) : Buffer.from(text, 'utf8').toString('hex');
}

/** Our value in snmp-cli.ts's canonical form (octets as hex, whether we decoded them as text or not). */
function canonicalOf(value: SnmpValue): string {
  switch (value.type) {
    case 'octets':
      return `octets:${hexOf(value.value)}`;
    case 'counter64':
      return `counter64:${value.value.toString()}`;
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
    case 'oid':
    case 'ipaddress':
      return `${value.type}:${value.value}`;
    case 'null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return value.type;
  }
}

/** Varbinds as `oid=value` lines: a lost, duplicated or misplaced row shows in the comparison. */
function lines(varbinds: readonly (SnmpVarbind | CliVarbind)[]): string[] {
  return varbinds.map((vb) => `${vb.oid}=${typeof vb.value === 'string' ? vb.value : canonicalOf(vb.value)}`);
}

/**
 * A recording of ours: a table whose columns have different row sets (column 2 lacks row 2,
 * column 3 is empty, column 4 has rows 2 and 3 only), its last column being the last object the
 * agent has, so that its walk ends on endOfMibView.
 */
const RAGGED = 'ragged-table';
const RAGGED_ENTRY = '1.3.6.1.4.1.32473.50.1.1';
const RAGGED_RECORDING = [
  '1.3.6.1.2.1.1.1.0|4|ragged table agent',
  '1.3.6.1.2.1.1.3.0|67|12345',
  ...[1, 2, 3, 7].map((r) => `${RAGGED_ENTRY}.1.${r}|2|${r}`),
  `${RAGGED_ENTRY}.2.1|4|port one`,
  `${RAGGED_ENTRY}.2.3|4|port three`,
  `${RAGGED_ENTRY}.2.7|4|port seven`,
  `${RAGGED_ENTRY}.4.2|66|20`,
  `${RAGGED_ENTRY}.4.3|66|30`,
  ...[1, 2, 3, 7].map((r) => `${RAGGED_ENTRY}.5.${r}|65|${r * 100}`),
  '',
].join('\n');
const RAGGED_COLUMNS = [1, 2, 3, 4, 5].map((c) => `${RAGGED_ENTRY}.${c}`);
const raggedProfile: MibProfile = mibProfileSchema.parse({
  schemaVersion: 1,
  id: 'ragged',
  name: 'Ragged table',
  tables: [
    {
      name: 'ports',
      index: RAGGED_COLUMNS[0],
      labels: [{ name: 'portName', column: RAGGED_COLUMNS[1] }],
      metrics: [
        { name: 'missing', column: RAGGED_COLUMNS[2], type: 'gauge' },
        { name: 'level', column: RAGGED_COLUMNS[3], type: 'gauge' },
        { name: 'count', column: RAGGED_COLUMNS[4], type: 'gauge' },
      ],
    },
  ],
});

function rowsOf(result: ProfileResult | undefined, metric: string): Map<string, ProfileReading> {
  return new Map(
    (result?.readings ?? [])
      .filter((r) => r.metric === metric && r.instance !== null)
      .map((r) => [r.instance ?? '', r]),
  );
}

function one(result: ProfileResult | undefined, metric: string): ProfileReading {
  const found = result?.readings.find((r) => r.metric === metric && r.instance === null);
  if (found === undefined) throw new Error(`no ${metric} in ${result?.profile ?? 'no result'}`);
  return found;
}

let builtIn: MibProfile[] = [];
function pick(...ids: string[]): MibProfile[] {
  return ids.map((id) => {
    const p = builtIn.find((b) => b.id === id);
    if (p === undefined) throw new Error(`no built-in profile ${id}`);
    return p;
  });
}

beforeAll(async () => {
  builtIn = await loadMibProfiles(path.resolve('resources/mib-profiles'));
});

// ---------------------------------------------------------------------------------------------

const snmpsimSkip = skipReason('snmpsim', [...SNMPSIM_REQUIREMENTS, ...SNMP_CLI_REQUIREMENTS]);

describe.skipIf(snmpsimSkip !== undefined)(withSkipReason('MIB profiles on snmpsim', snmpsimSkip), () => {
  const UPS = 'ups-on-battery';
  const SENSORS = 'entity-sensors';
  const CISCO = SNMPSIM_RECORDINGS.ciscoSwitch.community;
  const LINUX = SNMPSIM_RECORDINGS.linuxHost.community;
  let server: SnmpsimHandle | undefined;
  const client = new NetSnmpClient();

  beforeAll(async () => {
    server = await startSnmpsim({
      recordings: ['ciscoSwitch', 'linuxHost'],
      extraRecordings: {
        [UPS]: readFileSync(path.join(FIXTURES, `${UPS}.snmprec`), 'utf8'),
        [SENSORS]: readFileSync(path.join(FIXTURES, `${SENSORS}.snmprec`), 'utf8'),
        [RAGGED]: RAGGED_RECORDING,
      },
    });
  });

  afterAll(async () => {
    await client.close();
    await server?.stop();
  });

  const target = (community: string): SnmpV2cTarget => {
    if (server === undefined) throw new Error('snmpsim did not start');
    return { host: server.host, port: server.port, version: '2c', community, timeoutMs: 5000 };
  };
  const poll = (
    community: string,
    profiles: MibProfile[],
    previous?: Readonly<Record<string, ProfileState>>,
  ): Promise<WalkOutcome> =>
    walkProfiles(client, target(community), profiles, previous, {
      signal: new AbortController().signal,
      clock: systemClock,
    });
  const cli = (community: string, column: string): Promise<Column> => {
    if (server === undefined) throw new Error('snmpsim did not start');
    return cliColumn(server.host, server.port, community, column);
  };

  it('reports the Cisco switch interfaces snmpwalk reports: indexes, names, status, speed, counters', async () => {
    const out = await poll(CISCO, pick('if-mib'));
    const result = out.results[0];
    const [ifIndex, ifName, admin, oper, speed, hcIn] = await Promise.all(
      [OID.ifIndex, OID.ifName, OID.ifAdminStatus, OID.ifOperStatus, OID.ifHighSpeed, OID.ifHCInOctets].map(
        (c) => cli(CISCO, c),
      ),
    );
    const indexes = [...ifIndex!.keys()];
    expect(indexes.length).toBeGreaterThan(50);
    expect(result?.tables).toEqual([{ name: 'interfaces', rows: indexes.length, reason: null }]);
    expect(one(result, 'interfaceCount').value).toBe(indexes.length);

    const names = rowsOf(result, 'operStatus');
    expect([...names.keys()]).toEqual(indexes);
    expect(
      new Map(
        [...names].map(([i, r]) => [i, r.labels.ifName === undefined ? undefined : hexOf(r.labels.ifName)]),
      ),
    ).toEqual(new Map(indexes.map((i) => [i, ifName!.get(i)?.replace(/^octets:/, '')])));
    expect(names.get('11001')?.labels.ifName).toBe('Fa3/0/1');

    const values = (metric: string, f: (r: ProfileReading) => unknown): Map<string, unknown> =>
      new Map([...rowsOf(result, metric)].map(([i, r]) => [i, f(r)]));
    expect(values('operStatus', (r) => r.value)).toEqual(
      new Map(indexes.map((i) => [i, cliNumber(oper!.get(i))])),
    );
    expect(values('adminStatus', (r) => r.value)).toEqual(
      new Map(indexes.map((i) => [i, cliNumber(admin!.get(i))])),
    );
    expect(values('speed', (r) => r.value)).toEqual(
      new Map(indexes.map((i) => [i, cliNumber(speed!.get(i)) * 1e6])),
    );
    expect(values('inBitsPerSecond', (r) => r.raw)).toEqual(
      new Map(indexes.map((i) => [i, hcIn!.get(i)?.replace(/^counter64:/, '') ?? null])),
    );

    // Enabled ports without link are marked, and do not make the switch down.
    const linkDown = indexes.filter(
      (i) => cliNumber(admin!.get(i)) === 1 && [2, 6, 7].includes(cliNumber(oper!.get(i))),
    );
    expect(linkDown.length).toBeGreaterThan(0);
    expect(result?.conditions.filter((c) => c.name === 'linkDown').map((c) => c.instance)).toEqual(linkDown);
    expect(result?.status).toBe('up');

    // A recording does not move: the second poll's rates are zero (a measured zero), not spikes.
    const second = await poll(CISCO, pick('if-mib'), out.states);
    const rates = [...rowsOf(second.results[0], 'inBitsPerSecond').values()];
    expect(rates.filter((r) => r.raw !== null).every((r) => r.value === 0)).toBe(true);
    expect(rates.filter((r) => r.raw === null).every((r) => r.value === null && r.reason !== null)).toBe(
      true,
    );
  });

  it('walks a ragged table column by column as snmpwalk does: no row lost, duplicated or moved', async () => {
    const cliColumns = await Promise.all(
      RAGGED_COLUMNS.map((c) => snmpBulkWalk(server!.host, server!.port, RAGGED, c)),
    );
    // The recording is what the test says it is: ragged, one column empty.
    expect(cliColumns.map((c) => c.length)).toEqual([4, 3, 0, 2, 4]);
    for (const maxRepetitions of [1, 2, 3, 25]) {
      const ours = await client.walkColumns(
        target(RAGGED),
        RAGGED_COLUMNS,
        maxRepetitions,
        new AbortController().signal,
      );
      expect(ours.map(lines), `maxRepetitions ${maxRepetitions}`).toEqual(cliColumns.map(lines));
    }
    const out = await poll(RAGGED, [raggedProfile]);
    expect(out.plan.walk).toEqual(RAGGED_COLUMNS);
    expect(out.requests).toEqual({ sent: 1, failed: 0 });
    expect(lines(out.snapshot.varbinds)).toEqual(cliColumns.flatMap(lines));
    const result = out.results[0];
    expect(result?.tables).toEqual([{ name: 'ports', rows: 4, reason: null }]);
    expect(new Map([...rowsOf(result, 'level')].map(([i, r]) => [i, r.value]))).toEqual(
      new Map([
        ['1', null],
        ['2', 20],
        ['3', 30],
        ['7', null],
      ]),
    );
    expect(new Map([...rowsOf(result, 'count')].map(([i, r]) => [i, [r.value, r.labels.portName]]))).toEqual(
      new Map([
        ['1', [100, 'port one']],
        ['2', [200, undefined]],
        ['3', [300, 'port three']],
        ['7', [700, 'port seven']],
      ]),
    );
  });

  it('reads every column the IF-MIB profile walks on the Cisco switch exactly as snmpwalk prints it', async () => {
    const out = await poll(CISCO, pick('if-mib'));
    expect(out.plan.walk.length).toBeGreaterThan(5);
    // One multi-column walk, not one walk per column (GETs: sysUpTime and scalars, one batch).
    expect(out.requests.sent).toBeLessThanOrEqual(2);
    const cliColumns = await Promise.all(out.plan.walk.map((c) => cli(CISCO, c)));
    for (const [i, column] of out.plan.walk.entries()) {
      const ours = out.snapshot.varbinds.filter((vb) => vb.oid.startsWith(`${column}.`));
      expect(lines(ours), column).toEqual(
        [...cliColumns[i]!].map(([index, value]) => `${column}.${index}=${value}`),
      );
    }
  });

  it('reads the Cisco and Linux system groups as snmpwalk prints them', async () => {
    for (const community of [CISCO, LINUX]) {
      const out = await poll(community, pick('snmpv2-system'));
      const result = out.results[0];
      const [descr, upTime, name] = await Promise.all(
        [OID.sysDescr, OID.sysUpTime, OID.sysName].map((o) => cli(community, o)),
      );
      expect(hexOf(String(one(result, 'sysDescr').value))).toBe(descr!.get('')?.replace(/^octets:/, ''));
      expect(hexOf(String(one(result, 'sysName').value))).toBe(name!.get('')?.replace(/^octets:/, ''));
      expect(one(result, 'sysUpTime').value).toBe(cliNumber(upTime!.get('')) / 100);
      expect(result?.status).toBe('up');
    }
  });

  it('reads the Linux host CPUs, storage and interfaces as snmpwalk prints them', async () => {
    const out = await poll(LINUX, pick('host-resources', 'if-mib'));
    const [hr, ifMib] = out.results;
    const loads = await cli(LINUX, OID.hrProcessorLoad);
    expect(new Map([...rowsOf(hr, 'cpuLoad')].map(([i, r]) => [i, r.value]))).toEqual(
      new Map([...loads].map(([i, v]) => [i, cliNumber(v)])),
    );
    const mean = [...loads.values()].reduce((s, v) => s + cliNumber(v), 0) / loads.size;
    expect(one(hr, 'cpuLoadAverage').value).toBe(mean);
    expect(one(hr, 'cpuCount').value).toBe(loads.size);

    const [type, descr, units, size, used] = await Promise.all(
      [2, 3, 4, 5, 6].map((c) => cli(LINUX, `${OID.hrStorageEntry}.${c}`)),
    );
    const storages = [...descr!.keys()];
    expect(hr?.tables.find((t) => t.name === 'storage')?.rows).toBe(storages.length);
    const usedPercent = rowsOf(hr, 'usedPercent');
    const usedBytes = rowsOf(hr, 'usedBytes');
    for (const i of storages) {
      const u = cliNumber(used!.get(i));
      const s = cliNumber(size!.get(i));
      expect(hexOf(usedPercent.get(i)?.labels.hrStorageDescr ?? '')).toBe(
        descr!.get(i)?.replace(/^octets:/, ''),
      );
      expect(usedPercent.get(i)?.value).toBeCloseTo((u / s) * 100, 10);
      expect(usedBytes.get(i)?.value).toBe(u * cliNumber(units!.get(i)));
    }
    const disks = storages.filter((i) => type!.get(i) === 'oid:1.3.6.1.2.1.25.2.1.4');
    expect([...rowsOf(hr, 'diskUsedPercent').keys()]).toEqual(disks);
    expect(usedPercent.get('31')?.labels).toMatchObject({ hrStorageDescr: '/', hrStorageType: 'fixedDisk' });

    const names = await cli(LINUX, OID.ifName);
    expect([...rowsOf(ifMib, 'operStatus').values()].map((r) => r.labels.ifName)).toEqual(
      [...names.values()].map((v) => Buffer.from(v.replace(/^octets:/, ''), 'hex').toString('utf8')),
    );
  });

  it('follows the UPS recording as its values move, and says it is on battery', async () => {
    const profiles = pick('ups-mib', 'snmpv2-system');
    const first = await poll(UPS, profiles);
    const between = await cli(UPS, OID.upsMib);
    let second: WalkOutcome | undefined;
    const onBattery = (o: WalkOutcome): number => Number(one(o.results[0], 'secondsOnBattery').value);
    await waitFor(
      async () => {
        second = await poll(UPS, profiles, first.states);
        return onBattery(second) > onBattery(first);
      },
      { what: 'upsSecondsOnBattery to move', deadlineMs: 15_000, intervalMs: 250 },
    );
    const ups = second?.results[0];
    // Moving values: what snmpwalk saw between the two polls lies between them.
    const cliSeconds = cliNumber(between.get('1.2.2.0'));
    expect(onBattery(first)).toBeLessThanOrEqual(cliSeconds);
    expect(cliSeconds).toBeLessThanOrEqual(onBattery(second!));
    const charge = cliNumber(between.get('1.2.4.0'));
    expect(Number(one(first.results[0], 'estimatedChargeRemaining').value)).toBeGreaterThanOrEqual(charge);
    expect(charge).toBeGreaterThanOrEqual(Number(one(ups, 'estimatedChargeRemaining').value));
    // Fixed values, scaled as RFC 1628 says.
    expect(one(ups, 'batteryCurrent').value).toBe(cliNumber(between.get('1.2.6.0')) / 10);
    expect(one(ups, 'outputFrequency').value).toBe(49.9);
    expect(rowsOf(ups, 'outputCurrent').get('1')?.value).toBe(11.8);
    expect(rowsOf(ups, 'inputVoltage').get('1')).toMatchObject({ value: 0, status: 'up', unit: 'volt' });
    expect(one(ups, 'batteryVoltage').value).toBeGreaterThanOrEqual(216.5);
    expect(one(ups, 'batteryVoltage').value).toBeLessThanOrEqual(219.5);
    // Statuses: on battery is degraded, with the alarm table described.
    expect(one(ups, 'outputSource')).toMatchObject({ value: 5, label: 'battery', status: 'degraded' });
    expect(rowsOf(ups, 'alarm').get('1')).toMatchObject({
      value: '1.3.6.1.2.1.33.1.6.3.2',
      label: 'onBattery',
      description: 'The UPS is drawing power from the batteries.',
    });
    expect(ups?.status).toBe('degraded');
    expect(ups?.conditions.map((c) => c.name).sort()).toEqual(['alarm', 'alarmsPresent', 'outputSource']);
    // sysUpTime moves too, and forward: no reboot.
    const system = second?.results[1];
    expect(Number(one(system, 'sysUpTime').value)).toBeGreaterThan(
      Number(one(first.results[1], 'sysUpTime').value),
    );
    expect(system?.events).toEqual([]);
  });

  it('reads ENTITY-SENSOR values with the scale and precision of their row', async () => {
    const out = await poll(SENSORS, pick('entity-sensor'));
    const result = out.results[0];
    const [sensorType, scale, precision, value] = await Promise.all(
      [1, 2, 3, 4].map((c) => cli(SENSORS, `${OID.entPhySensorEntry}.${c}`)),
    );
    const names = await cli(SENSORS, OID.entPhysicalName);
    expect(result?.tables).toEqual([{ name: 'sensors', rows: value!.size, reason: null }]);
    const expected = (i: string): number =>
      (cliNumber(value!.get(i)) * 10 ** (3 * (cliNumber(scale!.get(i)) - 9))) /
      10 ** Math.max(0, cliNumber(precision!.get(i)));
    expect(rowsOf(result, 'temperature').get('2')).toMatchObject({
      value: 22.4,
      unit: 'celsius',
      status: 'up',
    });
    expect(rowsOf(result, 'temperature').get('2')?.value).toBe(expected('2'));
    expect(rowsOf(result, 'humidity').get('3')?.value).toBe(45.123);
    expect(rowsOf(result, 'humidity').get('3')?.value).toBeCloseTo(expected('3'), 10);
    expect(rowsOf(result, 'value').get('4')).toMatchObject({
      value: 12.012,
      labels: { entPhysicalName: 'psu-12v', sensorType: 'voltsDC', unitsDisplay: 'V' },
    });
    expect(cliNumber(sensorType!.get('4'))).toBe(4);
    for (const [i, r] of rowsOf(result, 'operStatus'))
      expect(hexOf(r.labels.entPhysicalName ?? '')).toBe(names.get(i)?.replace(/^octets:/, ''));
    // The rear probe is unavailable: no value, and the device is not called healthy.
    expect(rowsOf(result, 'temperature').get('5')).toMatchObject({
      value: null,
      status: 'unknown',
      reason: { code: 'notValid' },
    });
    expect(result?.status).toBe('unknown');
  });
});

// ---------------------------------------------------------------------------------------------

const snmpdSkip = skipReason('snmpd', [...SNMPD_REQUIREMENTS, ...SNMP_CLI_REQUIREMENTS]);

describe.skipIf(snmpdSkip !== undefined)(withSkipReason('MIB profiles on snmpd', snmpdSkip), () => {
  let server: SnmpdHandle | undefined;
  const client = new NetSnmpClient();
  let target: SnmpV2cTarget;

  beforeAll(async () => {
    server = await startSnmpd({ community: 'vigie-profiles' });
    target = {
      host: server.host,
      port: server.port,
      version: '2c',
      community: server.community,
      timeoutMs: 3000,
    };
  });

  afterAll(async () => {
    await client.close();
    await server?.stop();
  });

  const poll = (previous?: Readonly<Record<string, ProfileState>>): Promise<WalkOutcome> =>
    walkProfiles(client, target, pick('snmpv2-system', 'if-mib', 'host-resources'), previous, {
      signal: new AbortController().signal,
      clock: systemClock,
    });
  const cli = (column: string): Promise<Column> =>
    cliColumn(target.host, target.port, target.community, column);

  it('reports the interfaces, CPUs and storage snmpwalk reports, and rates that match the counters', async () => {
    const first = await poll();
    const [ifIndex, ifName, hcIn, processors, loads, storageDescr, units, size, sysName] = await Promise.all(
      [
        OID.ifIndex,
        OID.ifName,
        OID.ifHCInOctets,
        OID.hrProcessorFrwID,
        OID.hrProcessorLoad,
        `${OID.hrStorageEntry}.3`,
        `${OID.hrStorageEntry}.4`,
        `${OID.hrStorageEntry}.5`,
        OID.sysName,
      ].map((c) => cli(c)),
    );
    const upTicks = (o: WalkOutcome): number => Number(one(o.results[0], 'sysUpTime').value) * 100;
    let second: WalkOutcome | undefined;
    await waitFor(
      async () => {
        second = await poll(first.states);
        return upTicks(second) - upTicks(first) >= 100;
      },
      { what: 'snmpd sysUpTime to advance a second', deadlineMs: 15_000, intervalMs: 200 },
    );
    const [system, ifMib, hr] = second!.results;

    expect(hexOf(String(one(system, 'sysName').value))).toBe(sysName!.get('')?.replace(/^octets:/, ''));
    expect(system?.status).toBe('up');
    expect(system?.events).toEqual([]);

    const indexes = [...ifIndex!.keys()];
    expect(indexes.length).toBeGreaterThan(0);
    expect(one(ifMib, 'interfaceCount').value).toBe(indexes.length);
    expect(
      new Map([...rowsOf(ifMib, 'operStatus')].map(([i, r]) => [i, hexOf(r.labels.ifName ?? '')])),
    ).toEqual(new Map([...ifName!].map(([i, v]) => [i, v.replace(/^octets:/, '')])));
    // Counters move (our own SNMP traffic crosses lo): snmpwalk's value lies between our two
    // polls, and the rate is exactly their difference over the time between them.
    const before = rowsOf(first.results[1], 'inBitsPerSecond');
    const after = rowsOf(ifMib, 'inBitsPerSecond');
    const seconds = (second!.at - first.at) / 1000;
    for (const [i, v] of hcIn!) {
      const theirs = BigInt(v.replace(/^counter64:/, ''));
      const a = BigInt(String(before.get(i)?.raw));
      const b = BigInt(String(after.get(i)?.raw));
      expect(a <= theirs && theirs <= b, `ifHCInOctets.${i}: ${a} <= ${theirs} <= ${b}`).toBe(true);
      expect(after.get(i)?.value).toBeCloseTo((Number(b - a) * 8) / seconds, 6);
    }

    // snmpd serves hrProcessorLoad only after a minute of samples: until then the CPUs are there
    // and their load is unknown, never zero.
    expect(one(hr, 'cpuCount').value).toBe(processors!.size);
    const cpu = one(hr, 'cpuLoadAverage');
    if (loads!.size === processors!.size) expect(typeof cpu.value).toBe('number');
    else expect(cpu).toMatchObject({ value: null, status: 'unknown', reason: { code: 'incomplete' } });
    expect(
      new Map([...rowsOf(hr, 'usedPercent')].map(([i, r]) => [i, hexOf(r.labels.hrStorageDescr ?? '')])),
    ).toEqual(new Map([...storageDescr!].map(([i, v]) => [i, v.replace(/^octets:/, '')])));
    for (const [i, r] of rowsOf(hr, 'sizeBytes'))
      expect(r.value).toBe(cliNumber(size!.get(i)) * cliNumber(units!.get(i)));
    for (const r of rowsOf(hr, 'usedPercent').values()) {
      if (r.value === null) expect(r.reason?.code).toBe('zeroDenominator');
      else expect(Number(r.value)).toBeGreaterThanOrEqual(0);
    }
  });
});
