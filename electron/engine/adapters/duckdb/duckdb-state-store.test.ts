import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbStateStore } from './duckdb-state-store';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('DuckDbStateStore', () => {
  it('keeps committed samples and states across a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-duck-'));
    dirs.push(dir);
    const file = join(dir, 'state.duckdb');
    const store = await DuckDbStateStore.open(file);
    await store.commitPoll(
      [
        { sourceId: 'a-ups-1', reading: 'batteryCharge', ts: 1000, value: 97 },
        { sourceId: 'a-ups-1', reading: 'batteryCharge', ts: 2000, value: null },
        { sourceId: 'a-ups-1', reading: 'batteryCharge', ts: 3000, value: 95.5 },
      ],
      [
        {
          sourceId: 'a-ups-1',
          status: 'degraded',
          condition: 'onBattery',
          readings: [{ key: 'batteryCharge', value: 95.5, unit: 'percent' }],
          lastSampleAt: 3000,
          lastAttemptAt: 3000,
          lastError: { code: 'TIMEOUT', message: 'no answer', at: 2000 },
        },
      ],
    );
    await store.close();
    const again = await DuckDbStateStore.open(file);
    expect(await again.history('a-ups-1', 'batteryCharge', 0, 10_000)).toEqual({
      times: [1000, 2000, 3000],
      values: [97, null, 95.5],
    });
    const [state] = await again.loadStates();
    expect(state).toMatchObject({
      sourceId: 'a-ups-1',
      status: 'degraded',
      condition: 'onBattery',
      lastSampleAt: 3000,
    });
    expect(state?.lastError).toEqual({ code: 'TIMEOUT', message: 'no answer', at: 2000 });
    await again.close();
  });

  it('replaces a source state instead of duplicating it', async () => {
    const store = await DuckDbStateStore.open(':memory:');
    const state = {
      sourceId: 's',
      status: 'up',
      condition: 'ok',
      readings: [],
      lastSampleAt: 1,
      lastAttemptAt: 1,
      lastError: null,
    } as const;
    await store.commitPoll([], [state]);
    await store.commitPoll([], [{ ...state, status: 'down', condition: 'failing' }]);
    const states = await store.loadStates();
    expect(states).toHaveLength(1);
    expect(states[0]?.status).toBe('down');
    await store.close();
  });

  it('records audit entries in order and keeps them across a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-duck-'));
    dirs.push(dir);
    const file = join(dir, 'state.duckdb');
    const store = await DuckDbStateStore.open(file);
    await store.append({
      at: 1,
      actor: 'desktop',
      role: 'operator',
      action: 'estate.runScenario',
      target: 'zone-a-power-failure',
      details: { why: 'drill' },
    });
    await store.append({
      at: 2,
      actor: 'desktop',
      role: 'operator',
      action: 'estate.runScenario',
      target: 'restore',
      details: {},
    });
    await store.close();
    const again = await DuckDbStateStore.open(file);
    expect((await again.list(10)).map((e) => e.target)).toEqual(['restore', 'zone-a-power-failure']);
    expect((await again.list(10))[1]?.details).toEqual({ why: 'drill' });
    await again.close();
  });
});
