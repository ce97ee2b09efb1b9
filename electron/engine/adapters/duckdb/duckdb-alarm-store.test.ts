import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Handover } from '../../../../shared/api/alarms';
import {
  acknowledge,
  clear,
  close,
  openAlarm,
  type Alarm,
  type AlarmHistoryEntry,
} from '../../../../shared/domain/alarm';
import {
  maintenanceWindowSchema,
  type MaintenanceWindow,
} from '../../../../shared/domain/maintenance-window';
import type { EscalationRecord, OutboxEntry } from '../../ports/alarm-store';
import { DuckDbAlarmStore } from './duckdb-alarm-store';
import { holdDuckDbFile } from './test-support/hold-file';

const T0 = Date.UTC(2026, 2, 4, 10, 0);
const MINUTE = 60_000;
const never = (): AbortSignal => new AbortController().signal;

function alarm(id: string, at = T0): Alarm {
  return openAlarm(
    id,
    {
      key: `tile:${id}`,
      origin: 'condition',
      subject: { kind: 'device', id, zoneId: 'zone-a', name: id },
      cause: { code: 'unreachable', params: {} },
      severity: 'major',
      at,
    },
    [],
  ).alarm;
}

function line(alarmId: string, at: number, comment: string): AlarmHistoryEntry {
  return {
    alarmId,
    at,
    actor: 'seat-1',
    action: 'acknowledged',
    comment,
    from: 'outstanding',
    to: 'acknowledged',
    details: {},
  };
}

function outbox(key: string, status: OutboxEntry['status']): OutboxEntry {
  return {
    key,
    alarmId: 'al-1',
    channel: 'email',
    payload: { to: ['noc@example.org'], subject: 's', text: 't', messageId: 'm@vigie' },
    createdAt: T0,
    status,
    attempts: status === 'pending' ? 0 : 1,
    nextAttemptAt: T0,
    lastError: null,
  };
}

const record: EscalationRecord = {
  alarmId: 'al-1',
  policyId: 'default',
  cycle: 0,
  step: 1,
  cycleStartedAt: T0,
  lastFiredAt: T0,
  lastRenotifiedAt: null,
  done: false,
};

function maintenance(id: string): MaintenanceWindow {
  return maintenanceWindowSchema.parse({
    id,
    title: 'UPS battery swap',
    scope: { devices: ['a-ups-1'] },
    schedule: { kind: 'once', from: T0, to: T0 + 60 * MINUTE },
    createdBy: 'seat-1',
    createdAt: T0,
  });
}

function handover(id: string, createdAt: number): Handover {
  const none = { critical: 0, major: 0, minor: 0, warning: 0, info: 0 };
  return {
    id,
    createdAt,
    createdBy: 'seat-1',
    notes: `notes ${id}`,
    digest: {
      at: createdAt,
      counts: { open: none, outstanding: none },
      outstanding: [],
      acknowledged: [],
      snoozed: [],
      escalating: [],
      raisedSince: createdAt - 12 * 60 * MINUTE,
      raisedCount: 0,
    },
    acknowledgedAt: null,
    acknowledgedBy: null,
  };
}

const dirs: string[] = [];
const stores: DuckDbAlarmStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function memory(): Promise<DuckDbAlarmStore> {
  const store = await DuckDbAlarmStore.open(':memory:');
  stores.push(store);
  return store;
}

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-alarms-'));
  dirs.push(dir);
  return join(dir, 'nested', 'alarms.duckdb');
}

describe('DuckDbAlarmStore', () => {
  it('loads what was committed: revision, alarms, escalation records and pending deliveries', async () => {
    const store = await memory();
    expect(await store.load(never())).toEqual({ revision: 0, alarms: [], escalations: [], outbox: [] });
    const a = alarm('al-1');
    await store.commit(
      {
        revision: 3,
        alarms: [a],
        history: [line('al-1', T0, 'x')],
        escalations: [record],
        outbox: [outbox('al-1/0/0/email', 'pending')],
      },
      never(),
    );
    expect(await store.load(never())).toEqual({
      revision: 3,
      alarms: [a],
      escalations: [record],
      outbox: [outbox('al-1/0/0/email', 'pending')],
    });
    expect(await store.alarms(['al-1', 'nope'], never())).toEqual([a]);
    expect(await store.alarms([], never())).toEqual([]);
  });

  it('keeps the last of an id written twice in one commit', async () => {
    const store = await memory();
    const first = alarm('al-1');
    const second = acknowledge(first, 'seat-1', 'mine', 'normal', T0 + MINUTE).alarm;
    await store.commit(
      {
        revision: 1,
        alarms: [first, second],
        history: [],
        escalations: [{ ...record, step: 0 }, record],
        outbox: [outbox('k', 'pending'), { ...outbox('k', 'pending'), attempts: 2 }],
      },
      never(),
    );
    const loaded = await store.load(never());
    expect(loaded.alarms).toEqual([second]);
    expect(loaded.escalations).toEqual([record]);
    expect(loaded.outbox).toEqual([{ ...outbox('k', 'pending'), attempts: 2 }]);
  });

  it('loads only alarms not closed, their records, and deliveries still pending', async () => {
    const store = await memory();
    const closed = close(clear(alarm('gone'), T0 + MINUTE)!.alarm, 'engine', null, T0 + 2 * MINUTE).alarm;
    const resolved = clear(alarm('resolved'), T0 + MINUTE)!.alarm;
    await store.commit(
      {
        revision: 1,
        alarms: [alarm('al-1'), resolved, closed],
        history: [],
        escalations: [record, { ...record, alarmId: 'gone' }],
        outbox: [outbox('a', 'pending'), outbox('b', 'sent'), outbox('c', 'failed')],
      },
      never(),
    );
    const loaded = await store.load(never());
    expect(loaded.alarms.map((a) => a.id).sort()).toEqual(['al-1', 'resolved']);
    expect(loaded.escalations).toEqual([record]);
    expect(loaded.outbox.map((o) => o.key)).toEqual(['a']);
    // A closed alarm is still found by id.
    expect(await store.alarms(['gone'], never())).toEqual([closed]);
  });

  it('returns an alarm’s history oldest first, the newest `limit` lines', async () => {
    const store = await memory();
    await store.commit(
      { revision: 1, alarms: [], history: [line('al-1', T0, '1'), line('al-2', T0, 'other')] },
      never(),
    );
    // Same instant, later commit: order is the order written, not the time.
    await store.commit(
      { revision: 2, alarms: [], history: [line('al-1', T0, '2'), line('al-1', T0 - 1, '3')] },
      never(),
    );
    const comments = async (limit: number): Promise<(string | null)[]> =>
      (await store.history('al-1', limit, never())).map((h) => h.comment);
    expect(await comments(10)).toEqual(['1', '2', '3']);
    expect(await comments(2)).toEqual(['2', '3']);
    expect(await store.history('nope', 10, never())).toEqual([]);
  });

  it('lists alarms and history lines changed in a period, newest first', async () => {
    const store = await memory();
    const early = alarm('early', T0);
    const late = alarm('late', T0 + 10 * MINUTE);
    await store.commit(
      {
        revision: 1,
        alarms: [early, late, alarm('outside', T0 + 60 * MINUTE)],
        history: [
          line('early', T0, 'a'),
          line('late', T0 + 10 * MINUTE, 'b'),
          line('x', T0 + 60 * MINUTE, 'c'),
        ],
      },
      never(),
    );
    const { alarms, entries } = await store.changedBetween(T0, T0 + 10 * MINUTE, 100, never());
    expect(alarms.map((a) => a.id)).toEqual(['late', 'early']);
    expect(entries.map((e) => e.comment)).toEqual(['b', 'a']);
    const limited = await store.changedBetween(T0, T0 + 60 * MINUTE, 1, never());
    expect(limited.alarms.map((a) => a.id)).toEqual(['outside']);
    expect(limited.entries.map((e) => e.comment)).toEqual(['c']);
  });

  it('saves, replaces, lists and deletes maintenance windows', async () => {
    const store = await memory();
    await store.saveMaintenance(maintenance('w-2'), never());
    await store.saveMaintenance(maintenance('w-1'), never());
    await store.saveMaintenance({ ...maintenance('w-2'), title: 'Renamed' }, never());
    expect(await store.listMaintenance(never())).toEqual([
      maintenance('w-1'),
      { ...maintenance('w-2'), title: 'Renamed' },
    ]);
    expect(await store.deleteMaintenance('w-1', never())).toBe(true);
    expect(await store.deleteMaintenance('w-1', never())).toBe(false);
    expect((await store.listMaintenance(never())).map((w) => w.id)).toEqual(['w-2']);
  });

  it('lists handovers newest first, at most `limit`', async () => {
    const store = await memory();
    await store.saveHandover(handover('h-1', T0), never());
    await store.saveHandover(handover('h-3', T0 + 2 * MINUTE), never());
    await store.saveHandover(handover('h-2', T0 + MINUTE), never());
    expect((await store.listHandovers(10, never())).map((h) => h.id)).toEqual(['h-3', 'h-2', 'h-1']);
    expect(await store.listHandovers(1, never())).toEqual([handover('h-3', T0 + 2 * MINUTE)]);
    const acked = {
      ...handover('h-3', T0 + 2 * MINUTE),
      acknowledgedAt: T0 + 3 * MINUTE,
      acknowledgedBy: 'seat-2',
    };
    await store.saveHandover(acked, never());
    expect(await store.listHandovers(1, never())).toEqual([acked]);
  });

  it('keeps everything across a reopen and skips rows that no longer parse', async () => {
    const file = await tempFile();
    const store = await DuckDbAlarmStore.open(file);
    const kept = alarm('kept');
    await store.commit({ revision: 7, alarms: [kept], history: [line('kept', T0, 'ok')] }, never());
    await store.close();
    // Rows written by something else (a future version, a hand edit): never served half-read.
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    await connection.run(
      `INSERT INTO alarms VALUES ('bad', 'k1', 'outstanding', 0, '{"id":"bad"}'),
                                 ('worse', 'k2', 'outstanding', 0, 'not json')`,
    );
    await connection.run(`INSERT INTO alarm_history (alarm_id, at_ms, document) VALUES ('kept', 0, '{')`);
    connection.closeSync();
    instance.closeSync();
    const again = await DuckDbAlarmStore.open(file);
    stores.push(again);
    const loaded = await again.load(never());
    expect(loaded.revision).toBe(7);
    expect(loaded.alarms).toEqual([kept]);
    expect((await again.history('kept', 10, never())).map((h) => h.comment)).toEqual(['ok']);
  });

  it('refuses a file another process holds, as LOCKED', async () => {
    const file = await tempFile();
    const store = await DuckDbAlarmStore.open(file);
    await store.close();
    const release = await holdDuckDbFile(file);
    try {
      await expect(DuckDbAlarmStore.open(file)).rejects.toMatchObject({
        name: 'UpstreamError',
        source: 'duckdb-alarms',
        code: 'LOCKED',
      });
    } finally {
      await release();
    }
  });
});
