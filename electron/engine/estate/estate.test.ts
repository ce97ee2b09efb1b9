import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type DeviceDef, type ServiceDef } from '../config/schema';
import {
  ENTITY_SENSOR,
  ENTITY_SENSOR_SCALE_UNITS,
  ENTITY_SENSOR_TYPE,
  IF,
  PDU,
  SYSTEM,
  UPS,
} from '../mibs/oids';
import { checkInventory } from '../inventory/schema';
import { EstateError, startEstate, type Estate } from './index';
import { FakeClock } from './test-support/fake-clock';
import { counter64Of, numberOf, openSession, textOf, type TestSession } from './test-support/snmp-session';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

function device(estate: Estate, id: string): DeviceDef {
  const found = estate.inventory.devices.find((d) => d.id === id);
  if (!found) throw new Error(`no device ${id}`);
  return found;
}

function service(estate: Estate, id: string): ServiceDef {
  const found = estate.inventory.services.find((s) => s.id === id);
  if (!found) throw new Error(`no service ${id}`);
  return found;
}

/** GETs `oids` from a device and returns the varbinds in order. */
async function snmpGet(
  estate: Estate,
  id: string,
  oids: readonly string[],
): Promise<Awaited<ReturnType<TestSession['get']>>> {
  const session = openSession(device(estate, id).snmp.port);
  try {
    return await session.get(oids);
  } finally {
    session.close();
  }
}

async function upsState(estate: Estate, id: string): Promise<Record<keyof typeof UPS, number>> {
  const keys = Object.keys(UPS) as (keyof typeof UPS)[];
  const varbinds = await snmpGet(
    estate,
    id,
    keys.map((k) => UPS[k]),
  );
  return Object.fromEntries(keys.map((k, i) => [k, numberOf(varbinds[i])])) as Record<
    keyof typeof UPS,
    number
  >;
}

async function temperatureTenths(estate: Estate, id: string): Promise<number> {
  const sensors = device(estate, id).sensors;
  if (!sensors) throw new Error(`${id} is not a sensor`);
  return numberOf((await snmpGet(estate, id, [`${ENTITY_SENSOR.value}.${sensors.temperatureIndex}`]))[0]);
}

/**
 * One health check through the fake clock: waits until the estate has scheduled the answer, reads
 * the simulated latency from the pending timer, advances the clock by it, then reads the answer.
 */
async function healthCheck(
  clock: FakeClock,
  url: string,
): Promise<{ status: number; body: unknown; latencyMs: number }> {
  const response = fetch(url);
  await clock.whenPending(1);
  const latencyMs = clock.pendingDelays()[0] ?? Number.NaN;
  clock.advance(latencyMs);
  const res = await response;
  return { status: res.status, body: await res.json(), latencyMs };
}

const PLATFORM = ['ehealth', 'crossroads', 'employer', 'api-gw', 'batch', 'identity'];

describe('training estate on a normal day', () => {
  const clock = new FakeClock();
  let estate: Estate;
  beforeAll(async () => {
    estate = await startEstate({ clock });
  });
  afterAll(async () => {
    await estate.stop();
  });

  it('produces an inventory that the configuration schema accepts unchanged', () => {
    const parsed = configSchema.parse({ estate: true, inventory: estate.inventory });
    expect(parsed.inventory).toEqual({ ...estate.inventory, include: [] });
    // Rooms, racks and U positions obey the same rules as an imported inventory.
    expect(checkInventory(estate.inventory)).toEqual([]);
    expect(estate.inventory.racks.length).toBeGreaterThan(0);
    expect(estate.inventory.devices.filter((d) => d.rack !== undefined).length).toBeGreaterThan(0);
    expect(estate.inventory.devices.every((d) => d.room !== undefined)).toBe(true);
  });

  it('has two primary zones and a witness site, six devices per zone, and the platform services', () => {
    expect(estate.inventory.zones).toEqual([
      { id: 'zone-a', name: 'Zone A', kind: 'primary' },
      { id: 'zone-b', name: 'Zone B', kind: 'primary' },
      { id: 'witness', name: 'Witness site', kind: 'witness' },
    ]);
    for (const [zone, z] of [
      ['zone-a', 'a'],
      ['zone-b', 'b'],
      ['witness', 'w'],
    ] as const) {
      const devices = estate.inventory.devices.filter((d) => d.zone === zone);
      expect(devices.map((d) => [d.id, d.kind])).toEqual([
        [`${z}-ups-1`, 'ups'],
        [`${z}-ups-2`, 'ups'],
        [`${z}-pdu-1`, 'pdu'],
        [`${z}-env-1`, 'sensor'],
        [`${z}-env-2`, 'sensor'],
        [`${z}-core-sw`, 'switch'],
      ]);
    }
    for (const z of ['a', 'b'])
      expect(estate.inventory.services.filter((s) => s.id.startsWith(`${z}-`)).map((s) => s.id)).toEqual(
        PLATFORM.map((p) => `${z}-${p}`),
      );
    expect(service(estate, 'a-ehealth').name).toBe('eHealth platform');
    expect(service(estate, 'b-identity').name).toBe('Identity & access');
    expect(service(estate, 'w-quorum')).toMatchObject({ zone: 'witness', name: 'Quorum witness' });
  });

  it('gives every device its own loopback SNMP v2c endpoint with the training community', () => {
    const ports = new Set(estate.inventory.devices.map((d) => d.snmp.port));
    expect(ports.size).toBe(estate.inventory.devices.length);
    for (const d of estate.inventory.devices) {
      expect(d.address).toBe('127.0.0.1');
      expect(d.snmp).toMatchObject({ version: '2c', community: 'training' });
    }
  });

  it('answers the SNMPv2-MIB system group on every device, sysUpTime counting from the agent start', async () => {
    clock.advance(42 * SECOND);
    for (const d of estate.inventory.devices) {
      const [descr, objectId, upTime, name] = await snmpGet(estate, d.id, [
        SYSTEM.sysDescr,
        SYSTEM.sysObjectID,
        SYSTEM.sysUpTime,
        SYSTEM.sysName,
      ]);
      expect(textOf(descr).length).toBeGreaterThan(20);
      expect(textOf(objectId)).toMatch(/^1\.3\.6\.1\.4\.1\.32473\.\d+\.\d+$/);
      expect(numberOf(upTime)).toBeGreaterThanOrEqual(4200);
      expect(textOf(name)).toBe(d.id);
    }
    const [ups, sw] = await Promise.all([
      snmpGet(estate, 'a-ups-1', [SYSTEM.sysDescr]),
      snmpGet(estate, 'a-core-sw', [SYSTEM.sysDescr]),
    ]);
    expect(textOf(ups[0])).toContain('UPS');
    expect(textOf(sw[0])).toContain('switch');
  });

  it('can be walked end to end on every device (GetBulk), in increasing OID order, with no error', async () => {
    const compare = (a: string, b: string): number => {
      const x = a.split('.').map(Number);
      const y = b.split('.').map(Number);
      for (let i = 0; i < Math.min(x.length, y.length); i++)
        if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
      return x.length - y.length;
    };
    for (const d of estate.inventory.devices) {
      const session = openSession(d.snmp.port);
      try {
        const all = await session.subtree('1.3.6.1');
        expect(all.length, d.id).toBeGreaterThan(10);
        for (let i = 1; i < all.length; i++)
          expect(compare(all[i - 1]?.oid ?? '', all[i]?.oid ?? ''), d.id).toBeLessThan(0);
        for (const v of all) expect(v.value, `${d.id} ${v.oid}`).not.toBeNull();
      } finally {
        session.close();
      }
    }
  });

  it('answers every UPS-MIB object polled, with a healthy UPS on mains', async () => {
    for (const d of estate.inventory.devices.filter((x) => x.kind === 'ups')) {
      const ups = await upsState(estate, d.id);
      expect(ups).toMatchObject({
        batteryStatus: 2,
        secondsOnBattery: 0,
        estimatedChargeRemaining: 100,
        outputSource: 3,
        alarmsPresent: 0,
      });
      expect(ups.estimatedMinutesRemaining).toBeGreaterThan(5);
      expect(ups.batteryTemperature).toBeGreaterThan(15);
      expect(ups.batteryTemperature).toBeLessThan(40);
      expect(ups.inputVoltage).toBeGreaterThan(220);
      expect(ups.inputVoltage).toBeLessThan(240);
      expect(ups.outputPercentLoad).toBeGreaterThan(10);
      expect(ups.outputPercentLoad).toBeLessThan(60);
    }
  });

  it('answers the phase-1 PDU load, state and overload threshold', async () => {
    for (const d of estate.inventory.devices.filter((x) => x.kind === 'pdu')) {
      const [load, state, threshold] = await snmpGet(estate, d.id, [
        `${PDU.loadTenthsOfAmps}.1`,
        `${PDU.loadState}.1`,
        `${PDU.overloadThresholdAmps}.1`,
      ]);
      expect(numberOf(load)).toBeGreaterThan(30);
      expect(numberOf(load) / 10).toBeLessThan(numberOf(threshold));
      expect(numberOf(state)).toBe(1);
    }
  });

  it('answers temperature and humidity in tenths at the indexes of the inventory', async () => {
    for (const d of estate.inventory.devices.filter((x) => x.kind === 'sensor')) {
      const { temperatureIndex, humidityIndex } = d.sensors ?? { temperatureIndex: 0, humidityIndex: 0 };
      const columns = [
        ENTITY_SENSOR.type,
        ENTITY_SENSOR.scale,
        ENTITY_SENSOR.precision,
        ENTITY_SENSOR.value,
        ENTITY_SENSOR.operStatus,
      ];
      const varbinds = await snmpGet(estate, d.id, [
        ...columns.map((c) => `${c}.${temperatureIndex}`),
        ...columns.map((c) => `${c}.${humidityIndex}`),
      ]);
      const [tType, tScale, tPrecision, tValue, tStatus, hType, hScale, hPrecision, hValue, hStatus] =
        varbinds.map(numberOf);
      expect([tType, tScale, tPrecision, tStatus]).toEqual([
        ENTITY_SENSOR_TYPE.celsius,
        ENTITY_SENSOR_SCALE_UNITS,
        1,
        1,
      ]);
      expect([hType, hScale, hPrecision, hStatus]).toEqual([
        ENTITY_SENSOR_TYPE.percentRH,
        ENTITY_SENSOR_SCALE_UNITS,
        1,
        1,
      ]);
      expect(tValue).toBeGreaterThan(180);
      expect(tValue).toBeLessThan(270);
      expect(hValue).toBeGreaterThan(300);
      expect(hValue).toBeLessThan(600);
    }
  });

  it('answers IF-MIB on every core switch: about eight interfaces, the uplink up at 100 Gb/s', async () => {
    for (const d of estate.inventory.devices.filter((x) => x.kind === 'switch')) {
      const session = openSession(d.snmp.port);
      try {
        const names = await session.subtree(IF.ifName);
        const ifIndexes = names.map((v) => Number(v.oid.split('.').at(-1)));
        expect(ifIndexes.length).toBeGreaterThanOrEqual(6);
        expect(ifIndexes.length).toBeLessThanOrEqual(10);
        expect(ifIndexes).toContain(d.uplinkIfIndex);
        const uplink = d.uplinkIfIndex ?? 0;
        const [descr, name, oper, speed, discontinuity] = await session.get(
          [IF.ifDescr, IF.ifName, IF.ifOperStatus, IF.ifHighSpeed, IF.ifCounterDiscontinuityTime].map(
            (c) => `${c}.${uplink}`,
          ),
        );
        expect(textOf(descr)).toMatch(/^Ethernet/);
        expect(textOf(name).length).toBeGreaterThan(0);
        expect(numberOf(oper)).toBe(1);
        expect(numberOf(speed)).toBe(100_000);
        expect(numberOf(discontinuity)).toBe(0);
        const operStates = await session.subtree(IF.ifOperStatus);
        expect(operStates.map(numberOf)).toContain(2); // one port is down, as in any real room
      } finally {
        session.close();
      }
    }
  });

  it('serves exact Counter64 octet counters above 2^53 that rise at a few Gb/s on a primary uplink', async () => {
    const sw = device(estate, 'a-core-sw');
    const uplink = sw.uplinkIfIndex ?? 0;
    const oids = [
      `${IF.ifHCInOctets}.${uplink}`,
      `${IF.ifHCOutOctets}.${uplink}`,
      `1.3.6.1.2.1.2.2.1.10.${uplink}`,
    ];
    const first = await snmpGet(estate, sw.id, oids);
    clock.advance(10 * SECOND);
    const second = await snmpGet(estate, sw.id, oids);
    const [in1, out1] = [counter64Of(first[0]), counter64Of(first[1])];
    const [in2, out2] = [counter64Of(second[0]), counter64Of(second[1])];
    expect(in1).toBeGreaterThan(2n ** 53n);
    expect(out1).toBeGreaterThan(2n ** 53n);
    expect(in2).toBeGreaterThan(in1);
    expect(out2).toBeGreaterThan(out1);
    // ifInOctets is the low half of ifHCInOctets in the same response: equal only if the 64-bit
    // value went through exactly (a double would have lost the low bits above 2^53).
    expect(BigInt(numberOf(first[2]))).toBe(in1 & 0xffff_ffffn);
    const inBitsPerSecond = (Number(in2 - in1) * 8) / 10;
    expect(inBitsPerSecond).toBeGreaterThan(1e9);
    expect(inBitsPerSecond).toBeLessThan(8e9);
  });

  it('answers health checks with 200 and JSON for every service, 404 elsewhere', async () => {
    for (const s of estate.inventory.services) {
      const answer = await healthCheck(clock, s.url);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ service: s.id, status: 'ok', zone: s.zone });
      expect(answer.latencyMs).toBeGreaterThanOrEqual(10);
      expect(answer.latencyMs).toBeLessThan(s.degradedLatencyMs);
    }
    const missing = await fetch(new URL('/no-such-service/health', service(estate, 'a-batch').url));
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
  });

  it('lists its scenarios with their description keys, none active yet', () => {
    expect(estate.listScenarios()).toEqual([
      { id: 'zone-a-power-failure', descriptionKey: 'scenario.zone-a-power-failure.description' },
      { id: 'restore', descriptionKey: 'scenario.restore.description' },
    ]);
    expect(estate.activeScenario).toBeNull();
  });

  it('refuses an unknown scenario with an EstateError listing the valid ids', () => {
    let caught: unknown;
    try {
      estate.runScenario('zone-c-flood');
    } catch (err: unknown) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EstateError);
    expect(caught).toMatchObject({ code: 'UNKNOWN_SCENARIO' });
    expect((caught as EstateError).message).toContain('zone-a-power-failure, restore');
    expect(estate.activeScenario).toBeNull();
  });
});

describe('training estate drill: zone A power failure, then restore', () => {
  const clock = new FakeClock();
  let estate: Estate;
  beforeAll(async () => {
    estate = await startEstate({ clock });
    clock.advance(5 * MINUTE);
  });
  afterAll(async () => {
    await estate.stop();
  });

  it('puts zone A on battery, drains it toward batteryLow, heats the rooms and degrades the services; zone B carries on', async () => {
    const startTemperature = await temperatureTenths(estate, 'a-env-1');
    const zoneBTemperature = await temperatureTenths(estate, 'b-env-1');
    estate.runScenario('zone-a-power-failure');
    const since = clock.now();
    expect(estate.activeScenario).toEqual({ id: 'zone-a-power-failure', since });

    clock.advance(30 * SECOND);
    const early = await upsState(estate, 'a-ups-1');
    expect(early).toMatchObject({ outputSource: 5, inputVoltage: 0, secondsOnBattery: 30 });
    expect(early.alarmsPresent).toBeGreaterThanOrEqual(1);
    expect(early.estimatedChargeRemaining).toBeLessThan(100);

    // Services of zone A: 5 to 10 times slower, and some answers are 503.
    let failures = 0;
    const latencyRatios: number[] = [];
    for (const p of PLATFORM) {
      for (let i = 0; i < 8; i++) {
        const a = await healthCheck(clock, service(estate, `a-${p}`).url);
        const b = await healthCheck(clock, service(estate, `b-${p}`).url);
        expect(a.body).toMatchObject({ service: `a-${p}`, status: 'degraded', zone: 'zone-a' });
        expect(b.body).toMatchObject({ status: 'ok' });
        if (a.status === 503) failures++;
        else expect(a.status).toBe(200);
        latencyRatios.push(a.latencyMs / b.latencyMs);
      }
    }
    expect(failures).toBeGreaterThanOrEqual(2);
    const median = [...latencyRatios].sort((x, y) => x - y)[latencyRatios.length >> 1] ?? 0;
    expect(median).toBeGreaterThanOrEqual(4);
    expect(median).toBeLessThanOrEqual(12);

    // Ten minutes in: charge falling to batteryLow, runtime falling, rooms much warmer.
    clock.advance(10 * MINUTE - (clock.now() - since));
    const late = await upsState(estate, 'a-ups-1');
    expect(late.secondsOnBattery).toBe(600);
    expect(late.estimatedChargeRemaining).toBeLessThan(early.estimatedChargeRemaining);
    expect(late.estimatedChargeRemaining).toBeGreaterThanOrEqual(10);
    expect(late.estimatedChargeRemaining).toBeLessThanOrEqual(20);
    expect(late.estimatedMinutesRemaining).toBeLessThan(early.estimatedMinutesRemaining);
    expect(late.batteryStatus).toBe(3);
    expect(late.alarmsPresent).toBeGreaterThan(early.alarmsPresent);
    expect(await temperatureTenths(estate, 'a-env-1')).toBeGreaterThanOrEqual(startTemperature + 100);
    expect(await temperatureTenths(estate, 'a-env-1')).toBeLessThanOrEqual(385);

    // Zone B: on mains, full battery, room temperature unchanged.
    const zoneB = await upsState(estate, 'b-ups-1');
    expect(zoneB).toMatchObject({
      outputSource: 3,
      batteryStatus: 2,
      secondsOnBattery: 0,
      estimatedChargeRemaining: 100,
      alarmsPresent: 0,
    });
    expect(Math.abs((await temperatureTenths(estate, 'b-env-1')) - zoneBTemperature)).toBeLessThanOrEqual(5);
  });

  it('restore brings mains back: normal output, batteries recharging, rooms cooling, services back to normal', async () => {
    const hot = await temperatureTenths(estate, 'a-env-1');
    const chargeBefore = (await upsState(estate, 'a-ups-1')).estimatedChargeRemaining;
    estate.runScenario('restore');
    expect(estate.activeScenario).toEqual({ id: 'restore', since: clock.now() });

    clock.advance(2 * MINUTE);
    const ups = await upsState(estate, 'a-ups-1');
    expect(ups).toMatchObject({ outputSource: 3, secondsOnBattery: 0 });
    expect(ups.inputVoltage).toBeGreaterThan(220);
    expect(ups.estimatedChargeRemaining).toBeGreaterThan(chargeBefore);
    expect(ups.estimatedChargeRemaining).toBeLessThan(chargeBefore + 15);
    expect(await temperatureTenths(estate, 'a-env-1')).toBeLessThan(hot - 10);

    for (const p of PLATFORM) {
      const answer = await healthCheck(clock, service(estate, `a-${p}`).url);
      expect(answer.body).toMatchObject({ status: 'ok' });
      expect(answer.latencyMs).toBeLessThan(service(estate, `a-${p}`).degradedLatencyMs);
    }

    clock.advance(60 * MINUTE);
    expect(await upsState(estate, 'a-ups-1')).toMatchObject({
      estimatedChargeRemaining: 100,
      batteryStatus: 2,
      alarmsPresent: 0,
    });
  });

  it('keeps the scenario and its start when the same scenario is run again', () => {
    const active = estate.activeScenario;
    clock.advance(SECOND);
    estate.runScenario('restore');
    expect(estate.activeScenario).toEqual(active);
  });
});

describe('training estate lifecycle', () => {
  it('runs two estates side by side in one process and stops each one completely', async () => {
    const clock = new FakeClock();
    const [one, two] = await Promise.all([
      startEstate({ clock }),
      startEstate({ clock, community: 'second' }),
    ]);
    try {
      const onePorts = new Set(one.inventory.devices.map((d) => d.snmp.port));
      expect(two.inventory.devices.some((d) => onePorts.has(d.snmp.port))).toBe(false);
      expect(service(one, 'a-api-gw').url).not.toBe(service(two, 'a-api-gw').url);

      two.runScenario('zone-a-power-failure');
      clock.advance(MINUTE);
      expect((await upsState(one, 'a-ups-1')).outputSource).toBe(3);
      const secondSession = openSession(device(two, 'a-ups-1').snmp.port, { community: 'second' });
      try {
        expect(numberOf((await secondSession.get([UPS.outputSource]))[0])).toBe(5);
      } finally {
        secondSession.close();
      }

      await one.stop();
      // Its UDP ports are free again and its health server refuses connections...
      const freed = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        freed.once('error', reject);
        freed.bind(device(one, 'a-core-sw').snmp.port, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((resolve) => freed.close(() => resolve()));
      await expect(fetch(service(one, 'a-api-gw').url)).rejects.toThrow();
      // ...while the other estate still answers.
      const stillThere = openSession(device(two, 'b-pdu-1').snmp.port, { community: 'second' });
      try {
        expect(textOf((await stillThere.get([SYSTEM.sysName]))[0])).toBe('b-pdu-1');
      } finally {
        stillThere.close();
      }
      expect(() => one.runScenario('restore')).toThrow(expect.objectContaining({ code: 'STOPPED' }));
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('refuses unusable options before opening anything', async () => {
    await expect(startEstate({ clock: new FakeClock(), community: '' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    await expect(startEstate({ clock: new FakeClock(), host: ' ' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });
});
