/**
 * The alarm engine on the training estate, whole engine in-process over real loopback SNMP and
 * HTTP: the estate starts quiet (no alarm), the zone A power failure yields one correlated
 * problem with its children, an operator acknowledges the problem (its children with it), and
 * everything is still there after a restart of the engine on the same data folder.
 */
import { testContext } from '../../electron/engine/test-support/call-context';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmList } from '../../shared/api';
import type { Alarm } from '../../shared/domain/alarm';
import { configSchema, type VigieConfig } from '../../electron/engine/config/schema';
import { startEngine, type Engine } from '../../electron/engine/engine';
import { testLogger } from '../support/test-logger';

let engine: Engine;
let dataDir = '';
let config: VigieConfig;
/** The problem the operator acknowledged (set by the acknowledgement test). */
let ackedId = '';

const ctx = testContext(['operator'], 'test-seat');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-alarms-'));
  config = configSchema.parse({
    estate: true,
    polling: { deviceIntervalSeconds: 1, serviceIntervalSeconds: 1, timeoutMs: 1500 },
  });
  engine = await startEngine({ config, dataDir, version: 'test', logger: testLogger('alarms-estate') });
});
afterAll(async () => {
  await engine?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Polls the alarm list (as a seat would after an `alarms.changed`) until `predicate` holds. */
async function until(
  predicate: (list: AlarmList) => boolean,
  what: string,
  timeoutMs = 45_000,
): Promise<AlarmList> {
  const deadline = Date.now() + timeoutMs;
  let list = await engine.handlers['alarms.list']({ limit: 20_000 }, ctx);
  while (!predicate(list)) {
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${timeoutMs} ms; alarms:\n${list.alarms.map((a) => `${a.key} ${a.state} ${a.severity} parent=${a.parentId}`).join('\n')}`,
      );
    await new Promise<void>((resolve) => {
      const off = engine.onEvent((event) => {
        if (event === 'alarms.changed' || event === 'overview.changed') {
          off();
          resolve();
        }
      });
    });
    list = await engine.handlers['alarms.list']({ limit: 20_000 }, ctx);
  }
  return list;
}

const parentOf = (list: AlarmList): Alarm | undefined =>
  list.alarms.find(
    (a) =>
      a.origin === 'correlation' &&
      a.subject.id === 'zone-a' &&
      a.cause.code === 'zonePowerFailure' &&
      a.active,
  );

describe('alarms on the training estate', () => {
  it('starts with every tile known and no active alarm', async () => {
    await until(
      () => engine.overview().tiles.every((t) => !t.stale && t.condition !== 'awaitingFirstPoll'),
      'every tile polled',
    );
    const list = await until((l) => l.alarms.every((a) => !a.active), 'a quiet estate');
    expect(list.counts.outstanding.critical).toBe(0);
  });

  it('shows the zone A power failure as one problem with its children', async () => {
    await engine.handlers['estate.runScenario']({ id: 'zone-a-power-failure' }, ctx);
    const list = await until((l) => {
      const parent = parentOf(l);
      return parent !== undefined && l.alarms.filter((a) => a.parentId === parent.id).length >= 3;
    }, 'a correlated power problem');
    const parent = parentOf(list)!;
    expect(parent.cause.code).toBe('zonePowerFailure');
    const children = list.alarms.filter((a) => a.parentId === parent.id);
    expect(children.some((c) => c.cause.code === 'onBattery' || c.cause.code === 'trap.upsOnBattery')).toBe(
      true,
    );
    // Nothing of zone A is left loose beside the problem.
    const loose = list.alarms.filter(
      (a) => a.subject.zoneId === 'zone-a' && a.parentId === null && a.origin !== 'correlation' && a.active,
    );
    expect(loose.map((a) => a.key)).toEqual([]);
    // Zone B is not dragged into zone A's problem.
    expect(children.every((c) => c.subject.zoneId === 'zone-a')).toBe(true);
  });

  it('escalates the problem (not each child) along the estate’s on-call policy', async () => {
    const list = await until((l) => {
      const parent = parentOf(l);
      return parent !== undefined && l.escalations[parent.id]?.step === 1;
    }, 'the first escalation step');
    const parent = parentOf(list)!;
    expect(list.escalations[parent.id]).toMatchObject({
      policyId: 'training-default',
      stepCount: 3,
      held: null,
    });
    expect(list.escalations[parent.id]!.nextAt).toBeGreaterThan(Date.now());
    const detail = await engine.handlers['alarms.get']({ id: parent.id }, ctx);
    expect(detail.history.find((h) => h.action === 'escalated')).toMatchObject({
      details: { step: 1, targets: 'Supervision (NOC)', channels: 'desktop' },
    });
    // Children are held under their parent: one problem, one escalation.
    for (const child of list.alarms.filter((a) => a.parentId === parent.id))
      expect(['grouped', 'resolved']).toContain(list.escalations[child.id]?.held ?? 'grouped');
    const directory = await engine.handlers['alarms.directory']({}, ctx);
    expect(directory.schedules.find((s) => s.id === 'facilities-oncall')?.onCall).toMatch(/^(sofia|tom)$/);
  });

  it('acknowledges the problem and its children in one action, audited with the comment', async () => {
    const list = await engine.handlers['alarms.list']({ limit: 20_000 }, ctx);
    const parent = parentOf(list)!;
    await expect(
      engine.handlers['alarms.acknowledge']({ id: parent.id, comment: '  ', mode: 'normal' }, ctx),
    ).rejects.toThrow(/comment/);
    ackedId = parent.id;
    const acked = await engine.handlers['alarms.acknowledge'](
      { id: parent.id, comment: 'on it, generator starting', mode: 'sticky' },
      ctx,
    );
    expect(acked).toMatchObject({ state: 'acknowledged', ack: { by: 'tester @ test-seat', mode: 'sticky' } });
    const after = await engine.handlers['alarms.list']({ limit: 20_000 }, ctx);
    const children = after.alarms.filter((a) => a.parentId === parent.id);
    expect(children.filter((c) => c.state === 'outstanding')).toEqual([]);
    const detail = await engine.handlers['alarms.get']({ id: parent.id }, ctx);
    expect(detail.history.map((h) => h.action)).toContain('acknowledged');
    expect(detail.history.find((h) => h.action === 'acknowledged')).toMatchObject({
      actor: 'tester @ test-seat',
      comment: 'on it, generator starting',
    });
    // The drill goes on: more consequences may have joined since the list was read.
    expect(detail.children.length).toBeGreaterThanOrEqual(children.length);
  });

  it('resolves the problem once mains are back (restore)', async () => {
    const before = parentOf(await engine.handlers['alarms.list']({ limit: 20_000 }, ctx))!;
    await engine.handlers['estate.runScenario']({ id: 'restore' }, ctx);
    const list = await until((l) => parentOf(l) === undefined, 'the power problem resolved', 90_000);
    expect(list.alarms.find((a) => a.id === before.id)).toMatchObject({ state: 'resolved', active: false });
  }, 120_000);

  it('keeps alarms, acknowledgements and history across an engine restart', async () => {
    const before = await engine.handlers['alarms.list']({ limit: 20_000 }, ctx);
    const parent = before.alarms.find((a) => a.id === ackedId)!;
    await engine.stop();
    engine = await startEngine({ config, dataDir, version: 'test', logger: testLogger('alarms-estate') });
    const after = await engine.handlers['alarms.list']({ limit: 20_000 }, ctx);
    expect(after.revision).toBeGreaterThanOrEqual(before.revision);
    const detail = await engine.handlers['alarms.get']({ id: parent.id }, ctx);
    const actions = detail.history.map((h) => h.action);
    expect(actions).toEqual(expect.arrayContaining(['raised', 'acknowledged', 'cleared']));
    expect(detail.history.find((h) => h.action === 'acknowledged')).toMatchObject({
      actor: 'tester @ test-seat',
      comment: 'on it, generator starting',
    });
    // As it was left, unless a source raised it again since the restart (its history says so).
    const reraised = actions.lastIndexOf('reraised') > actions.lastIndexOf('cleared');
    expect(
      detail.alarm,
      `history: ${JSON.stringify(detail.history.map((h) => [h.action, h.details]))}`,
    ).toMatchObject(
      reraised
        ? { state: 'outstanding' }
        : { state: 'resolved', ack: { comment: 'on it, generator starting', mode: 'sticky' } },
    );
  });
});
