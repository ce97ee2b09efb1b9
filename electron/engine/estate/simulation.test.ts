import { describe, expect, it } from 'vitest';
import { TRAINING_ESTATE } from './estate-definition';
import { EstateSimulation } from './simulation';

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

function simulation(seed = 7): EstateSimulation {
  return new EstateSimulation(TRAINING_ESTATE, T0, seed);
}

describe('EstateSimulation on a normal day', () => {
  it('keeps every UPS on mains with a full battery and no alarm', () => {
    const sim = simulation();
    for (const id of ['a-ups-1', 'a-ups-2', 'b-ups-1', 'b-ups-2', 'w-ups-1', 'w-ups-2']) {
      const ups = sim.ups(id, T0 + 5 * MINUTE);
      expect(ups).toMatchObject({
        batteryStatus: 2,
        secondsOnBattery: 0,
        estimatedChargeRemaining: 100,
        outputSource: 3,
        alarmsPresent: 0,
      });
      expect(ups.inputVoltage).toBeGreaterThanOrEqual(225);
      expect(ups.inputVoltage).toBeLessThanOrEqual(235);
      expect(ups.outputPercentLoad).toBeGreaterThan(15);
      expect(ups.outputPercentLoad).toBeLessThan(50);
      expect(ups.estimatedMinutesRemaining).toBeGreaterThan(5);
    }
  });

  it('keeps rooms near their baseline, in tenths', () => {
    const sim = simulation();
    const reading = sim.sensor('a-env-1', T0 + 3 * MINUTE);
    expect(reading.temperatureTenths).toBeGreaterThanOrEqual(222);
    expect(reading.temperatureTenths).toBeLessThanOrEqual(226);
    expect(reading.humidityTenths).toBeGreaterThanOrEqual(435);
    expect(reading.humidityTenths).toBeLessThanOrEqual(445);
  });

  it('moves readings a little over time (tiles look alive)', () => {
    const sim = simulation();
    const temperatures = new Set<number>();
    for (let t = 0; t < 30; t++)
      temperatures.add(sim.sensor('a-env-2', T0 + t * 20 * SECOND).temperatureTenths);
    expect(temperatures.size).toBeGreaterThan(1);
  });

  it('gives the same readings for the same seed and time, and different noise for another seed', () => {
    const at = T0 + 17 * MINUTE;
    expect(simulation(1).pdu('a-pdu-1', at)).toEqual(simulation(1).pdu('a-pdu-1', at));
    const loads = new Set(
      [1, 2, 3, 4, 5].map((seed) => simulation(seed).pdu('a-pdu-1', at).loadTenthsOfAmps),
    );
    expect(loads.size).toBeGreaterThan(1);
  });

  it('reports a normal phase-1 PDU load well under the thresholds', () => {
    const pdu = simulation().pdu('a-pdu-1', T0 + MINUTE);
    expect(pdu.loadState).toBe(1);
    expect(pdu.loadTenthsOfAmps).toBeGreaterThan(120);
    expect(pdu.loadTenthsOfAmps).toBeLessThan(160);
    expect(pdu).toMatchObject({ lowLoadAmps: 1, nearOverloadAmps: 26, overloadAmps: 30 });
  });
});

describe('EstateSimulation traffic counters', () => {
  it('start above 2^53 and only go up', () => {
    const sim = simulation();
    let previous = sim.octets('a-core-sw', 49, 'in', T0);
    expect(previous).toBeGreaterThan(2n ** 53n);
    for (let t = 1; t <= 20; t++) {
      const next = sim.octets('a-core-sw', 49, 'in', T0 + t * 7_300);
      expect(next).toBeGreaterThan(previous);
      previous = next;
    }
  });

  it('carry a few Gb/s on the uplink of a primary zone', () => {
    const sim = simulation();
    const from = sim.octets('a-core-sw', 49, 'in', T0 + MINUTE);
    const to = sim.octets('a-core-sw', 49, 'in', T0 + 2 * MINUTE);
    const bitsPerSecond = (Number(to - from) * 8) / 60;
    expect(bitsPerSecond).toBeGreaterThan(2e9);
    expect(bitsPerSecond).toBeLessThan(6e9);
  });

  it('do not depend on how often they are read', () => {
    const often = simulation();
    for (let t = 0; t < 600; t += 3) often.octets('b-core-sw', 1, 'out', T0 + t * SECOND + 123);
    const once = simulation();
    const at = T0 + 600 * SECOND + 456;
    expect(often.octets('b-core-sw', 1, 'out', at)).toBe(once.octets('b-core-sw', 1, 'out', at));
  });

  it('stand still on a port whose link is down', () => {
    const sim = simulation();
    expect(sim.octets('a-core-sw', 5, 'in', T0 + 10 * MINUTE)).toBe(sim.octets('a-core-sw', 5, 'in', T0));
  });
});

describe('EstateSimulation when zone A loses mains power', () => {
  function failed(): EstateSimulation {
    const sim = simulation();
    sim.setZonePower('zone-a', 'battery', T0 + MINUTE);
    return sim;
  }
  const after = (seconds: number): number => T0 + MINUTE + seconds * SECOND;

  it('puts zone A UPS on battery with no input voltage and time on battery counting up', () => {
    const sim = failed();
    const ups = sim.ups('a-ups-1', after(90));
    expect(ups.outputSource).toBe(5);
    expect(ups.inputVoltage).toBe(0);
    expect(ups.secondsOnBattery).toBe(90);
    expect(ups.alarmsPresent).toBeGreaterThanOrEqual(1);
  });

  it('drains the battery to about 15 % in ten minutes, with the runtime falling and batteryLow below 25 %', () => {
    const sim = failed();
    const charges = [0, 120, 300, 600].map((s) => sim.ups('a-ups-1', after(s)).estimatedChargeRemaining);
    expect(charges[0]).toBe(100);
    expect(charges).toEqual([...charges].sort((a, b) => b - a));
    expect(charges[3]).toBeGreaterThanOrEqual(10);
    expect(charges[3]).toBeLessThanOrEqual(20);
    expect(sim.ups('a-ups-1', after(120)).estimatedMinutesRemaining).toBeGreaterThan(
      sim.ups('a-ups-1', after(500)).estimatedMinutesRemaining,
    );
    expect(sim.ups('a-ups-1', after(300)).batteryStatus).toBe(2);
    expect(sim.ups('a-ups-1', after(600)).batteryStatus).toBe(3);
  });

  it('heats zone A by about 1 °C every 20 s up to its ceiling, and dries the air', () => {
    const sim = failed();
    const start = sim.sensor('a-env-1', after(0)).temperatureTenths;
    const twoMinutes = sim.sensor('a-env-1', after(120)).temperatureTenths;
    expect(twoMinutes - start).toBeGreaterThanOrEqual(50);
    expect(twoMinutes - start).toBeLessThanOrEqual(70);
    const plateau = sim.sensor('a-env-1', after(900)).temperatureTenths;
    expect(plateau).toBeGreaterThanOrEqual(377);
    expect(plateau).toBeLessThanOrEqual(383);
    expect(sim.sensor('a-env-1', after(600)).humidityTenths).toBeLessThan(
      sim.sensor('a-env-1', after(0)).humidityTenths - 50,
    );
  });

  it('sheds part of the zone A PDU load', () => {
    const before = simulation().pdu('a-pdu-1', after(10)).loadTenthsOfAmps;
    const sim = failed();
    const during = sim.pdu('a-pdu-1', after(10)).loadTenthsOfAmps;
    expect(during).toBeLessThan(before * 0.85);
    expect(during).toBeGreaterThan(before * 0.5);
  });

  it('slows zone A services 5 to 10 times and makes them fail noticeably', () => {
    const sim = failed();
    const normal = simulation();
    const latencies: number[] = [];
    let failures = 0;
    for (let i = 0; i < 400; i++) {
      const outcome = sim.serviceRequest('a-api-gw', after(30));
      latencies.push(outcome.latencyMs);
      if (outcome.failing) failures++;
      expect(outcome.status).toBe('degraded');
    }
    const normalLatencies = Array.from(
      { length: 400 },
      () => normal.serviceRequest('a-api-gw', after(30)).latencyMs,
    );
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
    const ratio = median(latencies) / median(normalLatencies);
    expect(ratio).toBeGreaterThanOrEqual(5);
    expect(ratio).toBeLessThanOrEqual(10);
    expect(failures / 400).toBeGreaterThan(0.08);
    expect(failures / 400).toBeLessThan(0.25);
  });

  it('leaves zone B and the witness untouched', () => {
    const sim = failed();
    const reference = simulation();
    for (const at of [after(60), after(600)]) {
      expect(sim.ups('b-ups-1', at)).toEqual(reference.ups('b-ups-1', at));
      expect(sim.sensor('b-env-2', at)).toEqual(reference.sensor('b-env-2', at));
      expect(sim.pdu('w-pdu-1', at)).toEqual(reference.pdu('w-pdu-1', at));
      expect(sim.zoneCondition('zone-b', at)).toMatchObject({ power: 'mains', dark: false });
    }
    expect(sim.serviceRequest('b-ehealth', after(60))).toEqual(
      reference.serviceRequest('b-ehealth', after(60)),
    );
  });

  it('goes dark when every zone A battery is empty: output off, PDU at zero, services failing', () => {
    const sim = failed();
    const late = after(20 * 60);
    expect(sim.zoneCondition('zone-a', late)).toMatchObject({ power: 'battery', dark: true });
    expect(sim.ups('a-ups-1', late)).toMatchObject({
      batteryStatus: 4,
      outputSource: 2,
      estimatedMinutesRemaining: 0,
      outputPercentLoad: 0,
    });
    expect(sim.pdu('a-pdu-1', late)).toMatchObject({ loadTenthsOfAmps: 0, loadState: 2 });
    expect(sim.serviceRequest('a-ehealth', late).failing).toBe(true);
  });

  it('counts each loss of mains in upsInputLineBads and ignores a repeated order', () => {
    const sim = failed();
    expect(sim.setZonePower('zone-a', 'battery', after(30))).toBe(false);
    expect(sim.ups('a-ups-1', after(40)).secondsOnBattery).toBe(40);
    sim.setZonePower('zone-a', 'mains', after(60));
    sim.setZonePower('zone-a', 'battery', after(120));
    expect(sim.ups('a-ups-2', after(130)).inputLineBads).toBe(2);
  });
});

describe('EstateSimulation when mains comes back', () => {
  it('returns the UPS to normal output, recharging gradually, and cools the room back', () => {
    const sim = simulation();
    const failAt = T0 + MINUTE;
    const restoreAt = failAt + 8 * MINUTE;
    sim.setZonePower('zone-a', 'battery', failAt);
    const chargeAtRestore = sim.ups('a-ups-1', restoreAt).estimatedChargeRemaining;
    const hot = sim.sensor('a-env-1', restoreAt).temperatureTenths;
    sim.setZonePower('zone-a', 'mains', restoreAt);

    const soon = sim.ups('a-ups-1', restoreAt + MINUTE);
    expect(soon).toMatchObject({ outputSource: 3, secondsOnBattery: 0 });
    expect(soon.inputVoltage).toBeGreaterThan(220);
    expect(soon.estimatedChargeRemaining).toBeGreaterThan(chargeAtRestore);
    expect(soon.estimatedChargeRemaining).toBeLessThan(chargeAtRestore + 10);
    expect(sim.ups('a-ups-1', restoreAt + 60 * MINUTE).estimatedChargeRemaining).toBe(100);

    expect(sim.sensor('a-env-1', restoreAt + 2 * MINUTE).temperatureTenths).toBeLessThan(hot - 10);
    expect(sim.sensor('a-env-1', restoreAt + 30 * MINUTE).temperatureTenths).toBeLessThanOrEqual(226);
    expect(sim.serviceRequest('a-batch', restoreAt + SECOND).status).toBe('ok');
  });
});
