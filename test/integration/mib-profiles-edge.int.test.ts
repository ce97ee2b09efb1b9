/**
 * MIB profiles against net-snmp in-process agents whose values the test sets: counter wraps
 * (Counter32 and Counter64), a device reboot, a sysUpTime wrap after 497 days, a counter
 * discontinuity, noSuchObject / noSuchInstance, and an agent that does not answer. The agent and the
 * walker share one fake clock, so rates are exact and nothing sleeps.
 */
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NetSnmpClient } from '../../electron/engine/adapters/snmp/net-snmp-client';
import type { MibDefinition } from '../../electron/engine/estate/mib-objects';
import { startSnmpAgent, type RunningSnmpAgent } from '../../electron/engine/estate/snmp-agent';
import { FakeClock } from '../../electron/engine/estate/test-support/fake-clock';
import type { SnmpV2cTarget } from '../../electron/engine/ports/snmp-client';
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

const COMMUNITY = 'edge-cases';
const TICKS_RANGE = 2 ** 32;
const MAX64 = 2n ** 64n;

/** What the simulated switch reports for its port 1; the test changes it between polls. */
interface DeviceState {
  upSince: number;
  hcIn: bigint;
  in32: number;
  inErrors: number;
  discontinuity: number;
}

function switchMib(dev: DeviceState): MibDefinition {
  const ifEntry = '1.3.6.1.2.1.2.2.1';
  const ifXEntry = '1.3.6.1.2.1.31.1.1.1';
  const port1 = <T>(row: number, value: T, other: T): T => (row === 1 ? value : other);
  return {
    scalars: [
      { name: 'sysDescr', oid: '1.3.6.1.2.1.1.1', syntax: 'octets', read: () => 'edge-case switch' },
      { name: 'sysObjectID', oid: '1.3.6.1.2.1.1.2', syntax: 'oid', read: () => '1.3.6.1.4.1.32473.1.4' },
      {
        name: 'sysUpTime',
        oid: '1.3.6.1.2.1.1.3',
        syntax: 'timeticks',
        read: (now) => (now - dev.upSince) / 10,
      },
      { name: 'sysName', oid: '1.3.6.1.2.1.1.5', syntax: 'octets', read: () => 'edge-1' },
    ],
    tables: [
      {
        name: 'ifEntry',
        entryOid: ifEntry,
        index: { kind: 'column', column: 1, name: 'ifIndex', accessible: true },
        rows: [1, 2],
        columns: [
          { number: 2, name: 'ifDescr', syntax: 'octets', read: (row) => `Ethernet${row}` },
          { number: 7, name: 'ifAdminStatus', syntax: 'integer', read: () => 1 },
          { number: 8, name: 'ifOperStatus', syntax: 'integer', read: (row) => port1(row, 1, 2) },
          { number: 10, name: 'ifInOctets', syntax: 'counter32', read: (row) => port1(row, dev.in32, 0) },
          { number: 14, name: 'ifInErrors', syntax: 'counter32', read: (row) => port1(row, dev.inErrors, 0) },
          { number: 20, name: 'ifOutErrors', syntax: 'counter32', read: () => 0 },
        ],
      },
      {
        name: 'ifXEntry',
        entryOid: ifXEntry,
        index: { kind: 'augments', table: 'ifEntry' },
        rows: [1, 2],
        columns: [
          { number: 1, name: 'ifName', syntax: 'octets', read: (row) => `eth${row}` },
          { number: 6, name: 'ifHCInOctets', syntax: 'counter64', read: (row) => port1(row, dev.hcIn, 0n) },
          { number: 10, name: 'ifHCOutOctets', syntax: 'counter64', read: () => 0n },
          { number: 15, name: 'ifHighSpeed', syntax: 'gauge32', read: () => 10_000 },
          { number: 18, name: 'ifAlias', syntax: 'octets', read: (row) => port1(row, 'uplink', '') },
          {
            number: 19,
            name: 'ifCounterDiscontinuityTime',
            syntax: 'timeticks',
            read: (row) => port1(row, dev.discontinuity, 0),
          },
        ],
      },
    ],
  };
}

/** A user-defined profile: the 32-bit counter, and objects this agent does not have. */
const legacy: MibProfile = mibProfileSchema.parse({
  schemaVersion: 1,
  id: 'legacy-octets',
  name: 'Legacy 32-bit octets',
  scalars: [
    { name: 'vendorObject', oid: '1.3.6.1.4.1.32473.77.1.0', type: 'gauge' },
    { name: 'port99Octets', oid: '1.3.6.1.2.1.31.1.1.1.6.99', type: 'gauge' },
  ],
  tables: [
    {
      name: 'ports',
      index: '1.3.6.1.2.1.2.2.1.1',
      metrics: [
        {
          name: 'inBits32',
          column: '1.3.6.1.2.1.2.2.1.10',
          type: 'counter',
          scale: 8,
          unit: 'bitsPerSecond',
        },
      ],
    },
  ],
});

function readingOf(
  result: ProfileResult | undefined,
  metric: string,
  instance: string | null = null,
): ProfileReading {
  const found = result?.readings.find((r) => r.metric === metric && r.instance === instance);
  if (found === undefined)
    throw new Error(`no ${metric}[${String(instance)}] in ${result?.profile ?? 'no result'}`);
  return found;
}

describe('MIB profiles against net-snmp in-process agents', () => {
  const clock = new FakeClock();
  const client = new NetSnmpClient();
  const dev: DeviceState = { upSince: 0, hcIn: 0n, in32: 0, inErrors: 0, discontinuity: 0 };
  const errors: Error[] = [];
  let agent: RunningSnmpAgent | undefined;
  let target: SnmpV2cTarget;
  let profiles: MibProfile[];
  let states: Record<string, ProfileState> | undefined;

  beforeAll(async () => {
    const builtIn = await loadMibProfiles(path.resolve('resources/mib-profiles'));
    profiles = [
      ...builtIn.filter((p) => p.id === 'snmpv2-system' || p.id === 'if-mib' || p.id === 'ups-mib'),
      legacy,
    ];
    agent = await startSnmpAgent({
      host: '127.0.0.1',
      community: COMMUNITY,
      mib: switchMib(dev),
      clock,
      onError: (e) => errors.push(e),
    });
    target = { host: '127.0.0.1', port: agent.port, version: '2c', community: COMMUNITY, timeoutMs: 2000 };
  });

  afterAll(async () => {
    await client.close();
    await agent?.close();
    // The agent reports the requests of the wrong community (and nothing else).
    expect(errors.map((e) => e.message).filter((m) => !/community/i.test(m))).toEqual([]);
  });

  beforeEach(() => {
    states = undefined;
    Object.assign(dev, {
      upSince: clock.now() - 3_600_000,
      hcIn: 0n,
      in32: 0,
      inErrors: 0,
      discontinuity: 0,
    });
  });

  async function poll(): Promise<WalkOutcome> {
    const out = await walkProfiles(client, target, profiles, states, {
      signal: new AbortController().signal,
      clock,
    });
    states = { ...out.states };
    return out;
  }
  const result = (out: WalkOutcome, id: string): ProfileResult | undefined =>
    out.results.find((r) => r.profile === id);

  it('rates Counter64 and Counter32 octets across their wraps', async () => {
    dev.hcIn = MAX64 - 1000n;
    dev.in32 = TICKS_RANGE - 1000;
    await poll();
    clock.advance(10_000);
    dev.hcIn = 1000n;
    dev.in32 = 1000;
    const out = await poll();
    // 2000 octets in 10 s = 1600 bit/s, through both wraps.
    expect(readingOf(result(out, 'if-mib'), 'inBitsPerSecond', '1').value).toBe(1600);
    expect(readingOf(result(out, 'legacy-octets'), 'inBits32', '1').value).toBe(1600);
    expect(result(out, 'if-mib')?.events).toEqual([]);
  });

  it('sees a reboot when sysUpTime goes back: one reboot event, gaps in the rates, then rates again', async () => {
    dev.hcIn = 5_000_000n;
    dev.inErrors = 40;
    await poll();
    clock.advance(60_000);
    dev.upSince = clock.now() - 20_000; // restarted 20 s ago
    dev.hcIn = 1000n;
    dev.inErrors = 0;
    const rebooted = await poll();
    expect(result(rebooted, 'snmpv2-system')?.events).toEqual([
      expect.objectContaining({ kind: 'reboot', previousUptimeSeconds: 3600, uptimeSeconds: 20 }),
    ]);
    const ifMib = result(rebooted, 'if-mib');
    expect(readingOf(ifMib, 'inBitsPerSecond', '1')).toMatchObject({
      value: null,
      reason: { code: 'counterReset' },
    });
    expect(readingOf(ifMib, 'inErrorsPerSecond', '1')).toMatchObject({
      value: null,
      reason: { code: 'counterReset' },
    });
    expect(ifMib?.events).toEqual([]);
    clock.advance(10_000);
    dev.hcIn = 11_000n;
    const after = await poll();
    expect(readingOf(result(after, 'if-mib'), 'inBitsPerSecond', '1').value).toBe(8000);
    expect(result(after, 'snmpv2-system')?.events).toEqual([]);
  });

  it('takes the 497-day sysUpTime wrap for a wrap, not a reboot, and keeps the rates', async () => {
    dev.upSince = clock.now() - (TICKS_RANGE - 500) * 10; // 5 s before TimeTicks wrap
    dev.hcIn = 100n;
    const before = await poll();
    expect(readingOf(result(before, 'snmpv2-system'), 'sysUpTime').value).toBe((TICKS_RANGE - 500) / 100);
    clock.advance(10_000);
    dev.hcIn = 1100n;
    const after = await poll();
    expect(readingOf(result(after, 'snmpv2-system'), 'sysUpTime').value).toBe(5);
    expect(result(after, 'snmpv2-system')?.events).toEqual([]);
    expect(readingOf(result(after, 'if-mib'), 'inBitsPerSecond', '1').value).toBe(800);
  });

  it('makes a gap and an event when ifCounterDiscontinuityTime changes', async () => {
    dev.hcIn = 1000n;
    await poll();
    clock.advance(5000);
    dev.discontinuity = 360_400;
    dev.hcIn = 900_000n;
    const out = await poll();
    const ifMib = result(out, 'if-mib');
    expect(readingOf(ifMib, 'inBitsPerSecond', '1')).toMatchObject({
      value: null,
      reason: { code: 'counterReset' },
    });
    expect(ifMib?.events).toContainEqual(
      expect.objectContaining({
        kind: 'counterDiscontinuity',
        metric: 'inBitsPerSecond',
        instance: '1',
        labels: { ifName: 'eth1', ifDescr: 'Ethernet1', ifAlias: 'uplink' },
        cause: 'discontinuityTime',
      }),
    );
  });

  it('reports objects the agent does not have as noSuchObject / noSuchInstance, never as zero', async () => {
    const out = await poll();
    const mine = result(out, 'legacy-octets');
    expect(readingOf(mine, 'vendorObject')).toMatchObject({
      value: null,
      status: 'unknown',
      reason: { code: 'noSuchObject' },
    });
    expect(readingOf(mine, 'port99Octets')).toMatchObject({
      value: null,
      reason: { code: 'noSuchInstance' },
    });
    const ups = result(out, 'ups-mib');
    expect(ups?.status).toBe('unknown');
    expect(ups?.readings.every((r) => r.value === null || r.metric.endsWith('Count'))).toBe(true);
    expect(readingOf(ups, 'batteryStatus').reason?.code).toBe('noSuchObject');
    expect(ups?.conditions.some((c) => c.source === 'noData')).toBe(true);
  });

  it('marks the enabled port without link, and still calls the switch up', async () => {
    const out = await poll();
    const ifMib = result(out, 'if-mib');
    expect(readingOf(ifMib, 'operStatus', '2')).toMatchObject({ value: 2, label: 'down', status: 'down' });
    expect(ifMib?.conditions).toEqual([
      expect.objectContaining({ source: 'rule', name: 'linkDown', instance: '2', affectsProfile: false }),
    ]);
    expect(ifMib?.status).toBe('up');
    expect(readingOf(ifMib, 'speed', '1').value).toBe(10_000_000_000);
  });

  it('walks all table columns in one multi-column walk that reads each column as a walk of it alone', async () => {
    const out = await poll();
    // GETs of the scalars in batches of 16, then one walk for the columns of every profile.
    expect(out.requests).toEqual({ sent: Math.ceil(out.plan.get.length / 16) + 1, failed: 0 });
    expect(out.plan.walk.length).toBeGreaterThan(10);
    // The legacy profile GETs ifHCInOctets.99, under a walked column: what the walk read is the rest.
    const asked = new Set(out.plan.get);
    const walked = out.snapshot.varbinds.filter((vb) => !asked.has(vb.oid));
    for (const column of out.plan.walk) {
      const alone = await client.subtree(target, column, 1, new AbortController().signal);
      expect(
        walked.filter((vb) => vb.oid.startsWith(`${column}.`)),
        column,
      ).toEqual(alone);
    }
    // Every walked varbind belongs to a column, and comes once.
    expect(walked.every((vb) => out.plan.walk.some((c) => vb.oid.startsWith(`${c}.`)))).toBe(true);
    expect(new Set(walked.map((vb) => vb.oid)).size).toBe(walked.length);
    expect(result(out, 'if-mib')?.tables).toEqual([{ name: 'interfaces', rows: 2, reason: null }]);
  });

  it('gives up after one timeout when the agent does not answer, and says why for every value', async () => {
    const silent: SnmpV2cTarget = { ...target, community: 'not-the-community', timeoutMs: 300 };
    const out = await walkProfiles(client, silent, profiles, undefined, {
      signal: new AbortController().signal,
      clock,
    });
    expect(out.requests).toEqual({ sent: 1, failed: 1 });
    expect(out.stoppedBy?.code).toBe('TIMEOUT');
    for (const r of out.results) {
      expect(r.status).toBe('unknown');
      expect(r.readings.filter((x) => x.value !== null)).toEqual([]);
    }
    expect(readingOf(result(out, 'snmpv2-system'), 'sysUpTime').reason?.code).toBe('requestFailed');
    expect(result(out, 'if-mib')?.tables).toEqual([expect.objectContaining({ rows: null })]);
  });
});
