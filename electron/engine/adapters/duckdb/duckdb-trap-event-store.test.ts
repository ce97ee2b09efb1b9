import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrapEvent } from '../../../../shared/domain/trap-event';
import { DuckDbTrapEventStore } from './duckdb-trap-event-store';

const never = (): AbortSignal => new AbortController().signal;

function event(id: string, at: number, deviceId: string | null, extra: Partial<TrapEvent> = {}): TrapEvent {
  return {
    id,
    at,
    deviceId,
    source: { address: '10.0.0.1', port: 162 },
    agentAddress: null,
    version: '2c',
    pdu: 'trap',
    user: null,
    engineId: null,
    trapOid: '1.3.6.1.6.3.1.1.5.3',
    name: 'IF-MIB::linkDown',
    kind: 'linkDown',
    severity: 'major',
    instance: '3',
    key: `device%3A${deviceId ?? 'x'}/linkDown/3`,
    clears: [],
    attributes: { ifIndex: 3, ifName: 'eth2' },
    upTime: 100,
    varbinds: [{ oid: '1.3.6.1.6.3.1.1.4.3.0', type: 'counter64', value: '18446744073709551615' }],
    ...extra,
  };
}

const dirs: string[] = [];
const stores: DuckDbTrapEventStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function memory(): Promise<DuckDbTrapEventStore> {
  const store = await DuckDbTrapEventStore.open(':memory:');
  stores.push(store);
  return store;
}

describe('DuckDbTrapEventStore', () => {
  it('returns a device’s events in a time range, newest first, exactly as appended', async () => {
    const store = await memory();
    const a1 = event('a1', 1_000, 'sw-a');
    const b1 = event('b1', 2_000, 'sw-b');
    const a2 = event('a2', 3_000, 'sw-a', {
      kind: 'linkUp',
      severity: 'cleared',
      clears: ['device%3Asw-a/linkDown/3'],
    });
    const u1 = event('u1', 4_000, null);
    await store.append([a1, b1, a2, u1], never());
    expect(await store.query({ deviceId: 'sw-a', from: 0, to: 10_000, limit: 10 }, never())).toEqual([
      a2,
      a1,
    ]);
    expect(await store.query({ deviceId: null, from: 0, to: 10_000, limit: 10 }, never())).toEqual([u1]);
    expect((await store.query({ from: 0, to: 10_000, limit: 10 }, never())).map((e) => e.id)).toEqual([
      'u1',
      'a2',
      'b1',
      'a1',
    ]);
    expect((await store.query({ from: 1_500, to: 3_000, limit: 10 }, never())).map((e) => e.id)).toEqual([
      'a2',
      'b1',
    ]);
    expect((await store.query({ from: 0, to: 10_000, limit: 2 }, never())).map((e) => e.id)).toEqual([
      'u1',
      'a2',
    ]);
  });

  it('orders events of the same millisecond by arrival', async () => {
    const store = await memory();
    await store.append([event('first', 5, 'd'), event('second', 5, 'd')], never());
    await store.append([event('third', 5, 'd')], never());
    expect(
      (await store.query({ deviceId: 'd', from: 0, to: 10, limit: 10 }, never())).map((e) => e.id),
    ).toEqual(['third', 'second', 'first']);
  });

  it('writes large batches in one go', async () => {
    const store = await memory();
    const batch = Array.from({ length: 1_200 }, (_, i) => event(`e${i}`, i, 'd'));
    await store.append(batch, never());
    expect(await store.query({ from: 0, to: 10_000, limit: 1_000 }, never())).toHaveLength(1_000);
  });

  it('prunes by age, then keeps only the newest events', async () => {
    const store = await memory();
    await store.append(
      Array.from({ length: 10 }, (_, i) => event(`e${i}`, (i + 1) * 1_000, 'd')),
      never(),
    );
    expect(await store.prune({ before: 3_000, keep: 100 }, never())).toBe(2);
    expect(await store.prune({ before: 0, keep: 5 }, never())).toBe(3);
    expect((await store.query({ from: 0, to: 100_000, limit: 100 }, never())).map((e) => e.id)).toEqual([
      'e9',
      'e8',
      'e7',
      'e6',
      'e5',
    ]);
    expect(await store.prune({ before: 0, keep: 5 }, never())).toBe(0);
  });

  it('keeps events across a reopen and skips rows that no longer parse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-traps-'));
    dirs.push(dir);
    const file = join(dir, 'trap-events.duckdb');
    const store = await DuckDbTrapEventStore.open(file);
    await store.append([event('kept', 1_000, 'd')], never());
    await store.close();
    // A row written by something else (a future version, a hand edit): never served half-read.
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    await connection.run(
      `INSERT INTO trap_events (id, at_ms, device_id, event_key, kind, severity, document)
       VALUES ('bad', 2000, 'd', 'k', 'linkDown', 'major', '{"__proto__":{"polluted":true}}'),
              ('worse', 3000, 'd', 'k', 'linkDown', 'major', 'not json')`,
    );
    connection.closeSync();
    instance.closeSync();
    const again = await DuckDbTrapEventStore.open(file);
    stores.push(again);
    const events = await again.query({ deviceId: 'd', from: 0, to: 10_000, limit: 10 }, never());
    expect(events.map((e) => e.id)).toEqual(['kept']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses calls once aborted or closed', async () => {
    const store = await DuckDbTrapEventStore.open(':memory:');
    const controller = new AbortController();
    controller.abort();
    await expect(store.append([event('x', 1, 'd')], controller.signal)).rejects.toMatchObject({
      code: 'ABORTED',
    });
    await store.close();
    await store.close();
    await expect(store.query({ from: 0, to: 1, limit: 1 }, never())).rejects.toMatchObject({
      code: 'CLOSED',
    });
  });
});
