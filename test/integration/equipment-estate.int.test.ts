/**
 * Equipment on the training estate through the whole engine: every device polled with its MIB
 * profiles over real loopback SNMP, the results as `equipment.inventory` and `equipment.device`
 * serve them, and the values equal what the estate's agents hold (walked independently here).
 */
import { testContext } from '../../electron/engine/test-support/call-context';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EquipmentDeviceDetail, EquipmentInventory } from '../../shared/api';
import type { TrapEvent } from '../../shared/domain/trap-event';
import { NetSnmpClient } from '../../electron/engine/adapters/snmp/net-snmp-client';
import { configSchema } from '../../electron/engine/config/schema';
import { startEngine, type Engine } from '../../electron/engine/engine';
import { testLogger } from '../support/test-logger';
import type { CallContext } from '../../electron/engine/api/dispatch';

let engine: Engine;
let dataDir = '';
const ctx: CallContext = testContext(['operator'], 'test');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-equipment-'));
  const config = configSchema.parse({
    estate: true,
    polling: { deviceIntervalSeconds: 1, serviceIntervalSeconds: 5, timeoutMs: 1500 },
  });
  engine = await startEngine({ config, dataDir, version: 'test', logger: testLogger('equipment-estate') });
});
afterAll(async () => {
  await engine?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function inventory(): Promise<EquipmentInventory> {
  return engine.handlers['equipment.inventory']({}, ctx);
}

async function untilPolled(timeoutMs = 20_000): Promise<EquipmentInventory> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inv = await inventory();
    if (inv.devices.every((d) => d.health.lastSuccessAt !== null)) return inv;
    if (Date.now() > deadline)
      throw new Error(`not every device polled: ${JSON.stringify(inv.devices.map((d) => [d.id, d.health]))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('equipment on the training estate', () => {
  it('polls every device with its profiles; rooms and racks come with them, no secret does', async () => {
    const inv = await untilPolled();
    expect(inv.zones.map((z) => z.id)).toEqual(['zone-a', 'zone-b', 'witness']);
    expect(inv.racks.length).toBeGreaterThan(0);
    for (const d of inv.devices) {
      expect(d.health.consecutiveFailures).toBe(0);
      expect(d.status).not.toBe('unknown');
    }
    expect(JSON.stringify(inv)).not.toContain('training"');
  });

  it('reports a switch interfaces as the agent holds them (ifName, status, HC counters to rates)', async () => {
    const inv = await untilPolled();
    const sw = inv.devices.find((d) => d.kind === 'switch' && d.zone === 'zone-a');
    expect(sw).toBeDefined();
    if (!sw) return;
    // Two polls are needed for a rate.
    await new Promise((r) => setTimeout(r, 2500));
    const detail: EquipmentDeviceDetail = await engine.handlers['equipment.device']({ id: sw.id }, ctx);
    const ifMib = detail.profiles.find((p) => p.profile === 'if-mib');
    expect(ifMib).toBeDefined();
    const names = new Set(ifMib?.readings.filter((r) => r.labels.ifName).map((r) => r.labels.ifName));
    const client = new NetSnmpClient();
    try {
      const walked = await client.subtree(
        { host: sw.address, port: sw.snmp.port, version: '2c', community: 'training', timeoutMs: 2000 },
        '1.3.6.1.2.1.31.1.1.1.1',
        25,
        new AbortController().signal,
      );
      expect([...names].sort()).toEqual(
        walked.map((v) => (v.value.type === 'octets' ? v.value.value : '')).sort(),
      );
    } finally {
      await client.close();
    }
    const system = detail.profiles.find((p) => p.profile === 'snmpv2-system');
    expect(system?.readings.find((r) => r.metric === 'uptime' || r.metric === 'sysUpTime')?.value).toEqual(
      expect.any(Number),
    );
  });

  it('receives the notifications of a drill: UPS on battery, then the alarm removed on restore', async () => {
    const received: TrapEvent[] = [];
    const off = engine.onEvent((event, payload) => {
      if (event === 'traps.received') received.push(payload as TrapEvent);
    });
    try {
      await engine.handlers['estate.runScenario']({ id: 'zone-a-power-failure' }, ctx);
      const deadline = Date.now() + 10_000;
      while (received.filter((e) => e.kind === 'upsOnBattery').length < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const onBattery = received.filter((e) => e.kind === 'upsOnBattery');
      expect(onBattery.map((e) => e.deviceId).sort()).toEqual(['a-ups-1', 'a-ups-2']);
      expect(received.some((e) => e.kind === 'upsAlarmAdded' && e.deviceId === 'a-ups-1')).toBe(true);
      await engine.handlers['estate.runScenario']({ id: 'restore' }, ctx);
      const until = Date.now() + 10_000;
      while (!received.some((e) => e.kind === 'upsAlarmRemoved') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      const removed = received.find((e) => e.kind === 'upsAlarmRemoved' && e.deviceId === 'a-ups-1');
      expect(removed?.clears.length).toBeGreaterThan(0);
      // Kept for the device page.
      await new Promise((r) => setTimeout(r, 300));
      const listed = await engine.handlers['traps.list']({ deviceId: 'a-ups-1', limit: 10 }, ctx);
      expect(listed.listening?.address).toBe('127.0.0.1');
      expect(listed.events.map((e) => e.kind)).toEqual(
        expect.arrayContaining(['upsOnBattery', 'upsAlarmAdded', 'upsAlarmRemoved']),
      );
    } finally {
      off();
    }
  });

  it('answers NOT_FOUND for a device that does not exist', async () => {
    await expect(engine.handlers['equipment.device']({ id: 'nope' }, ctx)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
