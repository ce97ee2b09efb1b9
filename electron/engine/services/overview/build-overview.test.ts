import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema';
import type { SourceState } from '../../ports/state-store';
import { buildOverview } from './build-overview';

const config = configSchema.parse({
  inventory: {
    zones: [
      { id: 'zone-a', name: 'Zone A', kind: 'primary' },
      { id: 'witness', name: 'Witness', kind: 'witness' },
    ],
    devices: [
      {
        id: 'a-ups-1',
        zone: 'zone-a',
        name: 'UPS 1',
        kind: 'ups',
        address: '127.0.0.1',
        snmp: { version: '2c', community: 'x' },
      },
    ],
    services: [{ id: 'w-quorum', zone: 'witness', name: 'Quorum', url: 'http://127.0.0.1:1/health' }],
  },
});

const upState = (at: number): SourceState => ({
  sourceId: 'a-ups-1',
  status: 'up',
  condition: 'ok',
  readings: [{ key: 'batteryCharge', value: 100, unit: 'percent' }],
  lastSampleAt: at,
  lastAttemptAt: at,
  lastError: null,
});

const build = (states: SourceState[], now: number) =>
  buildOverview({
    inventory: config.inventory,
    states: new Map(states.map((s) => [s.sourceId, s])),
    now,
    polling: config.polling,
    training: true,
    revision: 1,
  });

describe('buildOverview', () => {
  it('shows a source that was never polled as unknown, never up', () => {
    const o = build([], 0);
    expect(o.tiles.every((t) => t.status === 'unknown' && t.condition === 'awaitingFirstPoll')).toBe(true);
    expect(o.status).toBe('unknown');
  });
  it('shows a fresh source with its status and primary reading', () => {
    const tile = build([upState(1000)], 2000).tiles.find((t) => t.id === 'a-ups-1');
    expect(tile).toMatchObject({
      status: 'up',
      condition: 'ok',
      stale: false,
      primary: { key: 'batteryCharge', value: 100 },
    });
  });
  it('turns a source grey with noData once its last sample is older than the allowed intervals', () => {
    // device interval 10 s, stale after 3 intervals
    const tile = build([upState(0)], 30_001).tiles.find((t) => t.id === 'a-ups-1');
    expect(tile).toMatchObject({ status: 'unknown', condition: 'noData', stale: true, lastSampleAt: 0 });
  });
  it('shows an unreachable source as unknown at once, keeping its last values', () => {
    const state = {
      ...upState(0),
      status: 'unknown' as const,
      condition: 'unreachable' as const,
      lastAttemptAt: 5000,
      lastError: { code: 'TIMEOUT', message: 'x', at: 5000 },
    };
    const tile = build([state], 5000).tiles.find((t) => t.id === 'a-ups-1');
    expect(tile).toMatchObject({ status: 'unknown', condition: 'unreachable', primary: { value: 100 } });
  });
  it('rolls tiles up into zone and estate counts with the worst status', () => {
    const down = { ...upState(1000), status: 'down' as const, condition: 'batteryLow' as const };
    const o = build([down], 2000);
    expect(o.zones.find((z) => z.id === 'zone-a')?.status).toBe('down');
    expect(o.zones.find((z) => z.id === 'witness')?.status).toBe('unknown');
    expect(o.counts).toEqual({ down: 1, degraded: 0, unknown: 1, maintenance: 0, up: 0 });
    expect(o.status).toBe('down');
  });
});
