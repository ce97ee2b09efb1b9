import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tile } from '../../shared/api';
import { trapEventKey, trapKeyOwner } from '../../shared/domain/trap-event';
import { setUpAlarms, type AlarmsSetup } from './alarms-setup';
import { alarmsConfigSchema } from './config/alarms-schema';
import { inventorySchema } from './inventory/schema';
import type { AuditEntry, AuditLog } from './ports/audit-log';
import { silentLogger } from './ports/logger';
import type { ProfileResult } from './services/equipment/profiles/evaluate-profile';
import { FakeClock } from './services/metrics/test-support/fake-clock';

const inventory = inventorySchema.parse({
  zones: [{ id: 'zone-a', name: 'Zone A', kind: 'primary' }],
  devices: [
    {
      id: 'a-pdu-1',
      zone: 'zone-a',
      name: 'PDU A1',
      kind: 'pdu',
      address: '127.0.0.1',
      snmp: { version: '2c', community: 'public' },
    },
    {
      id: 'a-ups-1',
      zone: 'zone-a',
      name: 'UPS A1',
      kind: 'ups',
      address: '127.0.0.1',
      snmp: { version: '2c', community: 'public' },
    },
  ],
});

class MemoryAudit implements AuditLog {
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
  list(limit: number): Promise<AuditEntry[]> {
    return Promise.resolve(this.entries.slice(-limit));
  }
}

function result(profile: string, status: 'up' | 'degraded' | 'down'): ProfileResult {
  return {
    profile,
    at: 0,
    status,
    conditions:
      status === 'up'
        ? []
        : [
            {
              source: 'reading',
              name: 'phaseLoad',
              table: 'phases',
              instance: '1',
              labels: { phase: 'L1' },
              status,
              affectsProfile: true,
              detail: 'phaseLoad 31 A ≥ criticalHigh 30 A',
            },
          ],
    readings: [],
    tables: [],
    events: [],
  };
}

function upsTile(condition: 'ok' | 'onBattery', lastSampleAt: number): Tile {
  return {
    id: 'a-ups-1',
    zoneId: 'zone-a',
    kind: 'ups',
    name: 'UPS A1',
    status: condition === 'ok' ? 'up' : 'degraded',
    condition,
    primary: { key: 'batteryCharge', value: 100, unit: 'percent' },
    readings: [],
    lastSampleAt,
    lastAttemptAt: lastSampleAt,
    lastError: null,
    stale: false,
    intervalMs: 10_000,
  };
}

let dir = '';
let clock: FakeClock;
let alarms: AlarmsSetup;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-alarms-setup-'));
  clock = new FakeClock();
  alarms = await setUpAlarms({
    config: alarmsConfigSchema.parse({}),
    inventory,
    dataRoot: dir,
    audit: new MemoryAudit(),
    secrets: { resolve: () => Promise.reject(new Error('no secrets here')) },
    clock,
    logger: silentLogger,
    locale: 'en',
    timeZone: 'Europe/Brussels',
    userProfiles: new Set(['site-pdu']),
  });
});
afterEach(async () => {
  await alarms.close();
  await rm(dir, { recursive: true, force: true });
});

const open = () => alarms.service.list(undefined, 100).alarms;

describe('setUpAlarms sources', () => {
  it('raises an alarm for a condition of a user-defined profile, and resolves it when the condition goes', async () => {
    alarms.profileResults('a-pdu-1', [result('site-pdu', 'down'), result('apc-rpdu', 'down')], clock.now());
    await alarms.service.settled();
    expect(open().map((a) => [a.key, a.severity, a.cause.code, a.cause.params.label])).toEqual([
      ['profile:a-pdu-1/site-pdu/phaseLoad/1', 'major', 'profileCondition', 'L1'],
    ]);
    clock.advance(10_000);
    alarms.profileResults('a-pdu-1', [result('site-pdu', 'up')], clock.now());
    await alarms.service.settled();
    expect(open()[0]).toMatchObject({ state: 'resolved', active: false });
  });

  it('ends the on-battery trap alarm on a poll of the UPS on mains taken after the trap, not before', async () => {
    const key = `trap:${trapEventKey(trapKeyOwner('a-ups-1', ''), 'upsOnBattery', '')}`;
    const trapAt = clock.now();
    alarms.service.raise({
      key,
      origin: 'trap',
      subject: { kind: 'device', id: 'a-ups-1', zoneId: 'zone-a', name: 'UPS A1' },
      cause: { code: 'trap.upsOnBattery', params: {} },
      severity: 'major',
      at: trapAt,
    });
    // A poll answered before the trap arrived still says "on mains": it ends nothing.
    alarms.tiles([upsTile('ok', trapAt - 1000)], clock.now());
    await alarms.service.settled();
    expect(open().find((a) => a.key === key)).toMatchObject({ active: true });
    clock.advance(10_000);
    alarms.tiles([upsTile('ok', clock.now())], clock.now());
    await alarms.service.settled();
    expect(open().find((a) => a.key === key)).toMatchObject({ active: false, state: 'resolved' });
  });
});
